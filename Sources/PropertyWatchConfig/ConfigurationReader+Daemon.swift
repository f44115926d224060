import PropertyWatchCore

extension ConfigurationReader {
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    mutating func broker(_ entry: Entry?) -> BrokerSettings {
        var broker = BrokerSettings()
        guard let f = fields(entry, known: [
            "host", "port", "client_id", "username", "password_file", "tls_ca_file", "tls_cert_file",
            "tls_key_file", "keepalive_seconds", "reconnect_min_seconds", "reconnect_max_seconds",
        ]) else { return broker }
        if let v = string(f["host"]) { broker.host = v }
        if let v = int(f["port"], in: 1...65535) { broker.port = v }
        if let v = string(f["client_id"]) {
            if v.utf8.count > 23 { warning(f["client_id"]!, "client ids longer than 23 bytes are not accepted by every MQTT 3.1.1 broker") }
            broker.clientID = v
        }
        broker.username = string(f["username"])
        broker.passwordFile = string(f["password_file"])
        broker.tlsCAFile = string(f["tls_ca_file"])
        broker.tlsCertFile = string(f["tls_cert_file"])
        broker.tlsKeyFile = string(f["tls_key_file"])
        if let v = int(f["keepalive_seconds"], in: 5...3600) { broker.keepaliveSeconds = v }
        if let v = int(f["reconnect_min_seconds"], in: 1...3600) { broker.reconnectMinSeconds = v }
        if let v = int(f["reconnect_max_seconds"], in: 1...3600) { broker.reconnectMaxSeconds = v }
        if broker.reconnectMaxSeconds < broker.reconnectMinSeconds, let e = f["reconnect_max_seconds"] ?? f["reconnect_min_seconds"] {
            error(e, "reconnect_max_seconds (\(broker.reconnectMaxSeconds)) is below reconnect_min_seconds (\(broker.reconnectMinSeconds))")
        }
        if (broker.tlsCertFile == nil) != (broker.tlsKeyFile == nil), let e = f["tls_cert_file"] ?? f["tls_key_file"] {
            error(e, "tls_cert_file and tls_key_file go together")
        }
        if broker.tlsCertFile != nil, broker.tlsCAFile == nil, let e = f["tls_cert_file"] {
            error(e, "a client certificate needs tls_ca_file (which turns TLS on)")
        }
        if broker.passwordFile != nil, broker.username == nil, let e = f["password_file"] {
            error(e, "password_file needs a username")
        }
        return broker
    }

    mutating func journal(_ entry: Entry?) -> JournalSettings {
        var journal = JournalSettings()
        guard let f = fields(entry, known: [
            "path", "group_commit_max_rows", "retention_days", "camera_retention_days", "incident_retention_days",
            "stale_incident_days", "wal_preallocate_mb", "growth_chunk_mb",
            "snapshot_every_events", "snapshot_interval_seconds", "snapshots_kept",
        ]) else {
            return journal
        }
        if let v = string(f["path"]) { journal.path = v }
        if let v = int(f["group_commit_max_rows"], in: 1...100_000) { journal.groupCommitMaxRows = v }
        if let v = int(f["retention_days"], in: 1...3650) { journal.retentionDays = v }
        if let v = int(f["camera_retention_days"], in: 1...3650) { journal.cameraRetentionDays = v }
        if let v = int(f["incident_retention_days"], in: 1...3650) { journal.incidentRetentionDays = v }
        if let v = int(f["stale_incident_days"], in: 1...365) { journal.staleIncidentDays = v }
        if let v = int(f["wal_preallocate_mb"], in: 0...1024) { journal.walPreallocationMB = v }
        if let v = int(f["growth_chunk_mb"], in: 1...1024) { journal.growthChunkMB = v }
        if let v = int(f["snapshot_every_events"], in: 0...10_000_000) { journal.snapshotEveryEvents = v }
        if let v = int(f["snapshot_interval_seconds"], in: 10...86_400) { journal.snapshotIntervalSeconds = v }
        if let v = int(f["snapshots_kept"], in: 1...10) { journal.snapshotsKept = v }
        if journal.cameraRetentionDays > journal.retentionDays, let e = f["camera_retention_days"] {
            warning(e, "camera metadata is removed with the raw events after retention_days (\(journal.retentionDays)), before camera_retention_days")
        }
        return journal
    }

    mutating func http(_ entry: Entry?) -> HTTPSettings {
        var http = HTTPSettings()
        guard let f = fields(entry, known: ["host", "port", "users_file", "open_health_metrics", "map_tile_url"]) else { return http }
        if let v = string(f["host"]) { http.host = v }
        if let v = int(f["port"], in: 1...65535) { http.port = v }
        http.usersFile = string(f["users_file"])
        if let v = bool(f["open_health_metrics"]) { http.openHealthAndMetrics = v }
        if let v = string(f["map_tile_url"]) {
            if !(v.hasPrefix("http://") || v.hasPrefix("https://") || v.hasPrefix("/")) || !(v.contains("{z}") && v.contains("{x}") && v.contains("{y}")) {
                error(f["map_tile_url"]!, "expected an http(s) URL template with {z}, {x} and {y}")
            } else {
                http.mapTileURL = v
            }
        }
        if http.usersFile == nil, !["127.0.0.1", "::1", "localhost"].contains(http.host), let e = f["host"] {
            warning(e, "the operator API listens beyond loopback without users_file: anyone who can reach it may command")
        }
        return http
    }

    mutating func ha(_ entry: Entry?) -> HASettings {
        var ha = HASettings()
        guard let f = fields(entry, known: ["enabled", "node", "group", "silence_seconds", "shard"]) else { return ha }
        if let v = bool(f["enabled"]) { ha.enabled = v }
        ha.node = identifier(f["node"])
        if let v = identifier(f["group"]) { ha.group = v }
        if let v = double(f["silence_seconds"], in: 0.5...60) { ha.silenceSeconds = v }
        if let e = f["silence_seconds"], ha.silenceSeconds > 10 {
            warning(e, "a standby waits \(Self.format(ha.silenceSeconds)) s before it takes over; the documented bound is 10 s")
        }
        if let s = fields(f["shard"], known: ["index", "count"]) {
            let count = int(require(s, "count"), in: 1...1024)
            let index = int(require(s, "index"), in: 0...1023)
            if let count, let index {
                if index < count { ha.shard = ShardSettings(index: index, count: count) } else { error(s["index"]!, "index \(index) is not below count \(count)") }
            }
        }
        return ha
    }

    mutating func report(_ entry: Entry?) -> ReportSettings {
        var report = ReportSettings()
        guard let f = fields(entry, known: ["at", "directory", "webhook_url"]) else { return report }
        if let v = time(f["at"]) { report.at = v }
        report.directory = string(f["directory"])
        if let v = string(f["webhook_url"]) {
            if v.hasPrefix("http://") || v.hasPrefix("https://") { report.webhookURL = v } else { error(f["webhook_url"]!, "expected an http:// or https:// URL") }
        }
        return report
    }

    mutating func decoding(_ entry: Entry?) -> DecodingLimits {
        var limits = DecodingLimits()
        guard let f = fields(entry, known: ["max_payload_bytes", "max_clock_skew_seconds", "max_frigate_payload_bytes", "late_window_hours"]) else {
            return limits
        }
        if let v = int(f["max_payload_bytes"], in: 64...1_048_576) { limits.maxPayloadBytes = v }
        if let v = int(f["max_clock_skew_seconds"], in: 0...86_400) { limits.maxClockSkew = .seconds(Int64(v)) }
        if let v = int(f["max_frigate_payload_bytes"], in: 1024...1_048_576) { limits.maxFrigatePayloadBytes = v }
        if let v = int(f["late_window_hours"], in: 0...168) {
            limits.lateWindow = .hours(Int64(v))
            if v > 0, limits.lateWindow.value <= limits.maxClockSkew.value, let e = f["late_window_hours"] {
                error(e, "must be longer than max_clock_skew_seconds (or 0 to refuse late events)")
            }
        }
        return limits
    }
}
