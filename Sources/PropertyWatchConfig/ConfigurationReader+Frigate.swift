import PropertyWatchCore

extension ConfigurationReader {
    /// One key of a mapping whose keys are free-form names (Frigate cameras, zones, labels).
    struct NamedEntry {
        let name: String
        let keyLine: Int?
        let value: Entry
    }

    /// The `frigate:` section: Frigate camera names, zones and labels mapped onto ours.
    mutating func frigate(_ entry: Entry?, sites: [SiteConfiguration], backfill: inout FrigateBackfillSettings) -> FrigateMapping {
        var mapping = FrigateMapping()
        guard let f = fields(entry, known: [
            "cameras", "labels", "minimum_score", "url", "snapshot_base_url", "accept_detection_reviews", "backfill",
        ]) else { return mapping }
        let sitesByID = Dictionary(sites.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for camera in named(f["cameras"]) {
            guard Self.isFrigateName(camera.name) else {
                error(line: camera.keyLine, path: camera.value.path,
                      "'\(camera.name)' is not a Frigate camera name: use up to 64 ASCII letters, digits, '_' or '-'")
                continue
            }
            if let mapped = frigateCamera(camera.value, sites: sitesByID) { mapping.cameras[camera.name] = mapped }
        }
        let labels = ObjectLabel.allCases.map(\.rawValue)
        for label in named(f["labels"]) {
            if let target = choice(label.value, of: labels).flatMap(ObjectLabel.init(rawValue:)) {
                mapping.labels[label.name] = target
            }
        }
        if let v = double(f["minimum_score"], in: 0...1) { mapping.minimumScore = v }
        // `url` is Frigate's address (snapshots and the backfill); `snapshot_base_url` its older name.
        for key in ["snapshot_base_url", "url"] {
            guard let entry = f[key], let url = string(entry) else { continue }
            guard let base = Self.httpBase(url) else {
                error(entry, "'\(url)' is not an http:// or https:// URL")
                continue
            }
            if let earlier = mapping.snapshotBaseURL, earlier != base {
                error(entry, "'\(base)' differs from snapshot_base_url '\(earlier)'; set only url")
                continue
            }
            mapping.snapshotBaseURL = base
        }
        if let b = fields(f["backfill"], known: ["enabled", "page_size", "max_pages", "timeout_seconds", "attempts", "margin_seconds"]) {
            if let v = bool(b["enabled"]) { backfill.enabled = v }
            if let v = int(b["page_size"], in: 1...1000) { backfill.pageSize = v }
            if let v = int(b["max_pages"], in: 1...1000) { backfill.maxPages = v }
            if let v = int(b["timeout_seconds"], in: 1...300) { backfill.timeoutSeconds = v }
            if let v = int(b["attempts"], in: 1...10) { backfill.attempts = v }
            if let v = int(b["margin_seconds"], in: 0...600) { backfill.marginSeconds = v }
        }
        if let v = bool(f["accept_detection_reviews"]) { mapping.acceptDetectionReviews = v }
        return mapping
    }

    private mutating func frigateCamera(_ entry: Entry, sites: [SiteID: SiteConfiguration]) -> FrigateMapping.Camera? {
        guard let f = fields(entry, known: ["site", "device", "zones"]) else { return nil }
        let site = frigateSite(require(f, "site"), in: sites)
        let device = site.flatMap { frigateDevice(require(f, "device"), at: $0) }
        var zones: [String: ZoneID] = [:]
        let siteZones = site.map { $0.zones.map(\.id.rawValue) } ?? []
        for zone in named(f["zones"]) {
            guard let site, let id = identifier(zone.value) else { continue }
            guard siteZones.contains(id) else {
                var reason = "unknown zone '\(id)' at \(site.id)"
                if let suggestion = KeySuggestion.closest(to: id, in: siteZones) { reason += "; did you mean '\(suggestion)'?" }
                error(zone.value, reason)
                continue
            }
            if let device, !device.cameraZones.contains(ZoneID(id)) {
                warning(zone.value, "zone '\(id)' is not among \(device.id)'s camera_zones")
            }
            zones[zone.name] = ZoneID(id)
        }
        guard let site, let device else { return nil }
        return FrigateMapping.Camera(site: site.id, device: device.id, zones: zones)
    }

    private mutating func frigateSite(_ entry: Entry?, in sites: [SiteID: SiteConfiguration]) -> SiteConfiguration? {
        guard let entry, let id = identifier(entry) else { return nil }
        guard let site = sites[SiteID(id)] else {
            var reason = "unknown site '\(id)'"
            if let suggestion = KeySuggestion.closest(to: id, in: sites.keys.map(\.rawValue).sorted()) { reason += "; did you mean '\(suggestion)'?" }
            error(entry, reason)
            return nil
        }
        return site
    }

    private mutating func frigateDevice(_ entry: Entry?, at site: SiteConfiguration) -> DeviceConfiguration? {
        guard let entry, let id = identifier(entry) else { return nil }
        guard let device = site.devices.first(where: { $0.id.rawValue == id }) else {
            let cameras = site.devices.filter { $0.kind == .camera }.map(\.id.rawValue)
            var reason = "unknown device '\(id)' at \(site.id)"
            if let suggestion = KeySuggestion.closest(to: id, in: cameras) { reason += "; did you mean '\(suggestion)'?" }
            error(entry, reason)
            return nil
        }
        guard device.kind == .camera else {
            error(entry, "'\(id)' at \(site.id) is a \(device.kind.rawValue), not a camera")
            return nil
        }
        return device
    }

    /// The keys and values of a mapping whose keys are names rather than known keys.
    private mutating func named(_ entry: Entry?) -> [NamedEntry] {
        guard let entry else { return [] }
        guard let mapping = entry.node.mapping else {
            error(entry, "expected a mapping of names, found \(Self.describe(entry.node))")
            return []
        }
        var result: [NamedEntry] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string, !name.allSatisfy(\.isWhitespace) else {
                error(line: keyNode.mark?.line, path: entry.path, "names must be plain, non-empty words")
                continue
            }
            let path = Self.child(entry.path, name)
            if Self.isNull(value) {
                error(line: keyNode.mark?.line, path: path, "'\(name)' has no value")
                continue
            }
            result.append(NamedEntry(name: name, keyLine: keyNode.mark?.line, value: Entry(node: value, path: path)))
        }
        return result
    }

    /// Frigate's camera names: ASCII letters, digits, `_` and `-`; at most 64 bytes, which is
    /// as long as the decoder looks them up.
    static func isFrigateName(_ name: String) -> Bool {
        name.utf8.count <= 64 && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
        }
    }

    /// An `http://` or `https://` URL with a host and no spaces, trailing slashes removed.
    static func httpBase(_ url: String) -> String? {
        var base = Substring(url)
        while base.hasSuffix("/") { base = base.dropLast() }
        for scheme in ["http://", "https://"] where base.hasPrefix(scheme) {
            let rest = base.dropFirst(scheme.count)
            guard !rest.isEmpty, !rest.hasPrefix("/"), !base.contains(where: \.isWhitespace) else { return nil }
            return String(base)
        }
        return nil
    }
}
