import PropertyWatchCore

extension ConfigurationReader {
    mutating func dc09(_ entry: Entry?, sites: [SiteConfiguration]) -> DC09Settings? {
        guard let f = fields(entry, known: [
            "tcp_listen", "udp_listen", "window_past_seconds", "window_future_seconds", "unknown_account",
            "unknown_code", "bad_frame", "ack_timeout_seconds", "max_frame_bytes", "max_connections",
            "max_connections_per_source", "idle_timeout_seconds", "frames_per_second_per_source", "burst_per_source",
            "metrics_listen", "accounts",
        ]) else { return nil }
        var s = DC09Settings()
        if let v = listenList(f["tcp_listen"]) { s.tcpListen = v }
        if let v = listenList(f["udp_listen"]) { s.udpListen = v }
        if let v = int(f["window_past_seconds"], in: 1...3600) { s.windowPastSeconds = v }
        if let v = int(f["window_future_seconds"], in: 1...3600) { s.windowFutureSeconds = v }
        if let v = choice(f["unknown_account"], of: ["duh", "none"]) { s.unknownAccount = .init(rawValue: v)! }
        if let v = choice(f["unknown_code"], of: ["duh", "none"]) { s.unknownCode = .init(rawValue: v)! }
        if let v = choice(f["bad_frame"], of: ["none", "nak"]) { s.badFrame = .init(rawValue: v)! }
        if let v = double(f["ack_timeout_seconds"], in: 0.1...120) { s.ackTimeoutSeconds = v }
        if let v = int(f["max_frame_bytes"], in: 128...65_536) { s.maxFrameBytes = v }
        if let v = int(f["max_connections"], in: 1...100_000) { s.maxConnections = v }
        if let v = int(f["max_connections_per_source"], in: 1...100_000) { s.maxConnectionsPerSource = v }
        if let v = int(f["idle_timeout_seconds"], in: 1...86_400) { s.idleTimeoutSeconds = v }
        if let v = double(f["frames_per_second_per_source"], in: 0.01...100_000) { s.framesPerSecondPerSource = v }
        if let v = int(f["burst_per_source"], in: 1...100_000) { s.burstPerSource = v }
        if let e = f["metrics_listen"], let v = listenAddress(e) { s.metricsListen = v }
        var seen: Set<String> = []
        for item in list(require(f, "accounts")) ?? [] {
            guard let account = dc09Account(item, sites: sites) else { continue }
            if !seen.insert(account.account).inserted {
                error(item, "account '\(account.account)' is listed twice")
                continue
            }
            s.accounts.append(account)
        }
        return s
    }

    private mutating func dc09Account(_ entry: Entry, sites: [SiteConfiguration]) -> DC09AccountSettings? {
        guard let f = fields(entry, known: [
            "account", "site", "device", "key_file", "allow_unencrypted", "supervision_category",
            "supervision_interval_seconds", "zones", "sequence_hex",
        ]) else { return nil }
        let accountEntry = require(f, "account")
        let account = string(accountEntry)
        if let account, let accountEntry {
            let valid = (3...16).contains(account.utf8.count) && account.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) }
            if !valid { error(accountEntry, "'\(account)' is not an account: use 3–16 characters 0–9, A–F (quote it in YAML)") }
        }
        let siteEntry = require(f, "site")
        let siteID = identifier(siteEntry)
        let deviceEntry = require(f, "device")
        let deviceID = identifier(deviceEntry)
        var site: SiteConfiguration?
        if let siteID, let siteEntry {
            site = sites.first { $0.id.rawValue == siteID }
            if site == nil { error(siteEntry, "no site '\(siteID)' in sites") }
        }
        if let site, let deviceID, let deviceEntry {
            if let device = site.devices.first(where: { $0.id.rawValue == deviceID }) {
                if !device.wantsAcknowledgement {
                    error(deviceEntry, "device '\(deviceID)' has acknowledgements: false; the gateway ACKs a panel only on the daemon's end-to-end acknowledgement")
                }
            } else {
                error(deviceEntry, "no device '\(deviceID)' at site '\(site.id)'")
            }
        }
        let keyFile = string(f["key_file"])
        let allowUnencrypted = bool(f["allow_unencrypted"]) ?? false
        if keyFile == nil, !allowUnencrypted {
            error(line: entry.line, path: entry.path, "needs key_file, or allow_unencrypted: true")
        }
        let category = choice(f["supervision_category"], of: DC09AccountSettings.categoryIntervals.keys.sorted())
        let interval = int(f["supervision_interval_seconds"], in: 10...40 * 86_400)
        // The daemon supervises the panel device by its heartbeat_seconds, fed by the link tests
        // the gateway passes on; a category faster than that would not be noticed in time.
        if let seconds = interval ?? category.flatMap({ DC09AccountSettings.categoryIntervals[$0] }),
            let e = f["supervision_interval_seconds"] ?? f["supervision_category"], let site, let deviceID,
            let device = site.devices.first(where: { $0.id.rawValue == deviceID })
        {
            if let heartbeat = device.heartbeatSeconds {
                if heartbeat > seconds {
                    warning(e, "device '\(deviceID)' has heartbeat_seconds: \(heartbeat), longer than this account's supervision interval (\(seconds) s); the daemon would notice a lost link late")
                }
            } else {
                warning(e, "device '\(deviceID)' has no heartbeat_seconds, so the daemon does not supervise it; set heartbeat_seconds: \(seconds) or less")
            }
        }
        var zones: [String: ZoneID] = [:]
        if let z = f["zones"] {
            if let mapping = z.node.mapping {
                for (k, v) in mapping {
                    let path = Self.child(z.path, k.scalar?.string ?? "?")
                    guard let key = k.scalar?.string, let zone = identifier(Entry(node: v, path: path)) else { continue }
                    zones[key] = ZoneID(zone)
                }
            } else {
                error(z, "expected a mapping of panel zone numbers to zone ids")
            }
        }
        guard let account, let siteID, let deviceID else { return nil }
        var a = DC09AccountSettings(account: account, site: SiteID(siteID), device: DeviceID(deviceID))
        a.keyFile = keyFile
        a.allowUnencrypted = allowUnencrypted
        a.supervisionCategory = category
        a.supervisionIntervalSeconds = interval
        a.zones = zones
        a.sequenceHex = bool(f["sequence_hex"]) ?? false
        a.line = entry.line
        return a
    }

    private mutating func listenList(_ entry: Entry?) -> [String]? {
        guard let entry else { return nil }
        if entry.node.scalar != nil { return listenAddress(entry).map { [$0] } }
        return list(entry)?.compactMap { listenAddress($0) }
    }

    /// `host:port`, port 1…65535.
    private mutating func listenAddress(_ entry: Entry) -> String? {
        guard let text = string(entry) else { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon > text.startIndex
        else {
            error(entry, "'\(text)' is not host:port")
            return nil
        }
        return text
    }
}
