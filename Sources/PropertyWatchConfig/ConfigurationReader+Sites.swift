import PropertyWatchCore

extension ConfigurationReader {
    /// Roughly Sweden's bounding box; coordinates outside it are probably swapped or mistyped.
    static let swedenLatitudes = 55.0...69.2
    static let swedenLongitudes = 10.5...24.3

    static let detectorKinds: Set<DeviceKind> = [.pir, .door, .glassBreak, .smoke, .heat, .holdUp]

    mutating func sites(_ entry: Entry?, rules: CorrelationRules = CorrelationRules()) -> [SiteConfiguration] {
        guard let items = list(entry) else { return [] }
        if items.isEmpty, let entry { warning(entry, "no sites are configured") }
        var sites: [SiteConfiguration] = []
        var seen: Set<String> = []
        for item in items {
            guard let site = site(item, rules: rules) else { continue }
            if !seen.insert(site.id.rawValue).inserted {
                error(idEntry(item), "duplicate site id '\(site.id)'")
                continue
            }
            sites.append(site)
        }
        return sites
    }

    /// The `id` entry of a list item, for pointing at duplicates.
    func idEntry(_ item: Entry) -> Entry {
        if let mapping = item.node.mapping, let id = mapping["id"] {
            return Entry(node: id, path: Self.child(item.path, "id"))
        }
        return item
    }

    private mutating func site(_ entry: Entry, rules global: CorrelationRules) -> SiteConfiguration? {
        guard let f = fields(entry, known: [
            "id", "name", "kind", "address", "location", "priority", "zones", "devices",
            "opening_hours", "arm_by", "arm_grace_minutes", "exceptions", "holidays",
            "partitions", "users", "rules",
        ]) else { return nil }
        let id = identifier(require(f, "id"))
        let name = string(require(f, "name"))
        let kind = choice(require(f, "kind"), of: SiteKind.allCases.map(\.rawValue)).flatMap(SiteKind.init(rawValue:))
        let address = string(require(f, "address"))
        let location = location(require(f, "location"))
        let priority = f.has("priority") ? int(f["priority"], in: 1...10) : 5
        let schedule = schedule(f)
        let partitions = partitions(f["partitions"], site: schedule)
        let partitionIDs = Set(partitions.map(\.id))
        var zones = zones(f["zones"], partitions: partitionIDs)
        let devices = devices(f["devices"], zones: Set(zones.map(\.id)))
        checkPanels(&zones, f["zones"], devices: devices)
        let users = users(f["users"], partitions: partitionIDs)
        let siteRules: CorrelationRules? = f.has("rules") ? rules(f["rules"], over: global) : nil
        guard let id, let name, let kind, let address, let location, let priority else { return nil }
        return SiteConfiguration(
            id: SiteID(id), name: name, kind: kind, address: address, location: location,
            zones: zones, devices: devices, schedule: schedule, priority: priority,
            partitions: partitions, users: users, rules: siteRules)
    }

    private mutating func location(_ entry: Entry?) -> Coordinate? {
        guard let f = fields(entry, known: ["lat", "lon"]) else { return nil }
        let lat = double(require(f, "lat"), in: -90...90)
        let lon = double(require(f, "lon"), in: -180...180)
        guard let lat, let lon else { return nil }
        if !Self.swedenLatitudes.contains(lat) || !Self.swedenLongitudes.contains(lon), let entry {
            warning(entry, "\(lat), \(lon) is outside Sweden; are lat and lon swapped or mistyped?")
        }
        return Coordinate(latitude: lat, longitude: lon)
    }

    private mutating func zones(_ entry: Entry?, partitions: Set<PartitionID>) -> [ZoneConfiguration] {
        var zones: [ZoneConfiguration] = []
        var seen: Set<String> = []
        var entries: [Entry] = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: [
                "id", "name", "number", "panel", "partition", "detector", "restore_cancel_seconds", "flapping",
                "verified_by", "camera_alarm",
            ]) else { continue }
            let id = identifier(require(f, "id"))
            let name = f.has("name") ? string(f["name"]) : id
            let number = int(f["number"], in: 0...9999)
            let panel = identifier(f["panel"]).map(DeviceID.init)
            var partition: PartitionID?
            if let e = f["partition"], let p = identifier(e) {
                if partitions.contains(PartitionID(p)) {
                    partition = PartitionID(p)
                } else {
                    var reason = "unknown partition '\(p)'"
                    if partitions.isEmpty { reason += "; the site lists no partitions" }
                    else if let s = KeySuggestion.closest(to: p, in: partitions.map(\.rawValue).sorted()) { reason += "; did you mean '\(s)'?" }
                    error(e, reason)
                }
            }
            let detector = choice(f["detector"], of: DeviceKind.allCases.map(\.rawValue)).flatMap(DeviceKind.init(rawValue:))
            var restore: Milliseconds?
            if let seconds = int(f["restore_cancel_seconds"], in: 0...600) {
                if seconds > 0, detector == .smoke || detector == .heat || detector == .holdUp, let e = f["restore_cancel_seconds"] {
                    error(e, "fire and hold-up alarms are never held back for a restore")
                } else {
                    restore = .seconds(Int64(seconds))
                }
            }
            let flapping = flapRule(f["flapping"], over: FlapRule())
            let verifiedBy = (strings(f["verified_by"]) ?? []).map(ZoneID.init)
            let cameraAlarm = f.has("camera_alarm") ? bool(f["camera_alarm"]) ?? false : false
            guard let id, let name else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate zone id '\(id)'")
                continue
            }
            entries.append(item)
            zones.append(ZoneConfiguration(
                id: ZoneID(id), name: name, number: number, panel: panel, partition: partition, detector: detector,
                restoreCancel: restore, flapping: flapping, verifiedBy: verifiedBy, cameraAlarm: cameraAlarm))
        }
        // Camera zones that verify a zone must be zones of the site; numbers unique per panel.
        let ids = Set(zones.map(\.id))
        var numbers: [String: String] = [:]
        for (zone, item) in zip(zones, entries) {
            guard let f = item.node.mapping else { continue }
            for v in zone.verifiedBy where !ids.contains(v) {
                error(Entry(node: f["verified_by"] ?? item.node, path: Self.child(item.path, "verified_by")), "unknown zone '\(v)'")
            }
            if let number = zone.number {
                let key = "\(zone.panel?.rawValue ?? "")#\(number)"
                if let other = numbers[key] {
                    error(Entry(node: f["number"] ?? item.node, path: Self.child(item.path, "number")),
                          "zone number \(number) is already zone '\(other)'\(zone.panel.map { " of panel \($0)" } ?? "")")
                } else {
                    numbers[key] = zone.id.rawValue
                }
            }
        }
        return zones
    }

    /// A zone's `panel` must name a device of kind panel.
    private mutating func checkPanels(_ zones: inout [ZoneConfiguration], _ entry: Entry?, devices: [DeviceConfiguration]) {
        let panels = Set(devices.filter { $0.kind == .panel }.map(\.id))
        for (i, item) in (list(entry) ?? []).enumerated() where i < zones.count {
            guard let panel = zones[i].panel, !panels.contains(panel), let node = item.node.mapping?["panel"] else { continue }
            error(Entry(node: node, path: Self.child(item.path, "panel")), "'\(panel)' is not a device of kind panel at this site")
            zones[i].panel = nil
        }
    }

    private mutating func partitions(_ entry: Entry?, site: SiteSchedule) -> [PartitionConfiguration] {
        var partitions: [PartitionConfiguration] = []
        var seen: Set<String> = []
        var numbers: Set<String> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: [
                "id", "name", "number", "panel", "opening_hours", "arm_by", "arm_grace_minutes", "exceptions",
            ]) else { continue }
            let id = identifier(require(f, "id"))
            let name = f.has("name") ? string(f["name"]) : id
            let number = int(f["number"], in: 0...999)
            let panel = identifier(f["panel"]).map(DeviceID.init)
            var schedule: SiteSchedule?
            if f.has("opening_hours") || f.has("arm_by") || f.has("arm_grace_minutes") || f.has("exceptions") {
                let own = self.schedule(f)
                var merged = site
                if f.has("opening_hours") { merged.openingHours = own.openingHours }
                if f.has("arm_by") { merged.armBy = own.armBy }
                if f.has("arm_grace_minutes") { merged.armGrace = own.armGrace }
                merged.exceptions += own.exceptions
                schedule = merged
            }
            guard let id, let name else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate partition id '\(id)'")
                continue
            }
            if let number, !numbers.insert("\(panel?.rawValue ?? "")#\(number)").inserted, let e = f["number"] {
                error(e, "partition number \(number) is used twice")
            }
            partitions.append(PartitionConfiguration(id: PartitionID(id), name: name, number: number, panel: panel, schedule: schedule))
        }
        return partitions
    }

    private mutating func users(_ entry: Entry?, partitions: Set<PartitionID>) -> [UserConfiguration] {
        var users: [UserConfiguration] = []
        var seen: Set<String> = []
        var numbers: Set<Int> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: ["id", "number", "name", "role", "windows"]) else { continue }
            let id = identifier(require(f, "id"))
            let number = int(f["number"], in: 0...99_999)
            let name = f.has("name") ? string(f["name"]) : id
            let role = choice(require(f, "role"), of: UserRole.allCases.map(\.rawValue)).flatMap(UserRole.init(rawValue:))
            var windows: [UserWindow] = []
            for w in list(f["windows"]) ?? [] {
                guard let g = fields(w, known: ["weekdays", "hours", "partitions"]) else { continue }
                let weekdays = weekdays(g["weekdays"]) ?? []
                let hours = timeRanges(require(g, "hours")) ?? []
                var covered: [PartitionID] = []
                for p in list(g["partitions"]) ?? [] {
                    guard let pid = identifier(p) else { continue }
                    if partitions.contains(PartitionID(pid)) { covered.append(PartitionID(pid)) }
                    else { error(p, "unknown partition '\(pid)'") }
                }
                windows.append(UserWindow(weekdays: weekdays, hours: hours, partitions: covered))
            }
            guard let id, let name, let role else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate user id '\(id)'")
                continue
            }
            if let number, !numbers.insert(number).inserted, let e = f["number"] {
                error(e, "user number \(number) is used twice")
            }
            users.append(UserConfiguration(id: UserID(id), number: number, name: name, role: role, windows: windows))
        }
        return users
    }

    private mutating func devices(_ entry: Entry?, zones: Set<ZoneID>) -> [DeviceConfiguration] {
        var devices: [DeviceConfiguration] = []
        var seen: Set<String> = []
        for item in list(entry) ?? [] {
            guard let device = device(item, zones: zones) else { continue }
            guard seen.insert(device.id.rawValue).inserted else {
                error(idEntry(item), "duplicate device id '\(device.id)'")
                continue
            }
            devices.append(device)
        }
        return devices
    }

    private mutating func device(_ entry: Entry, zones: Set<ZoneID>) -> DeviceConfiguration? {
        guard let f = fields(entry, known: [
            "id", "kind", "zone", "camera_zones", "linked_zones", "heartbeat_seconds", "supervision", "acknowledgements",
        ]) else { return nil }
        let id = identifier(require(f, "id"))
        let kind = choice(require(f, "kind"), of: DeviceKind.allCases.map(\.rawValue)).flatMap(DeviceKind.init(rawValue:))
        let zone = zoneReference(f["zone"], in: zones)
        let cameraZones = zoneReferences(f["camera_zones"], in: zones)
        let linkedZones = zoneReferences(f["linked_zones"], in: zones)
        let heartbeat = int(f["heartbeat_seconds"], in: 10...86_400)
        let category = choice(f["supervision"], of: SupervisionCategory.allCases.map(\.rawValue)).flatMap(SupervisionCategory.init(rawValue:))
        if category != nil, heartbeat != nil, let e = f["supervision"] {
            error(e, "give either heartbeat_seconds or an EN 50136-1 supervision category, not both")
        }
        let acknowledgements = f.has("acknowledgements") ? bool(f["acknowledgements"]) : true
        guard let id, let kind else { return nil }
        if kind == .camera {
            if cameraZones?.isEmpty ?? true {
                error(f["camera_zones"] ?? Entry(node: f.node, path: Self.child(f.path, "camera_zones")),
                      "a camera needs camera_zones: the zones it sees")
            }
            if let e = f["zone"] { error(e, "a camera lists the zones it sees in camera_zones, not zone") }
        } else {
            if let e = f["camera_zones"] { error(e, "only a camera has camera_zones") }
            if let e = f["linked_zones"] { error(e, "only a camera has linked_zones") }
            if Self.detectorKinds.contains(kind), !f.has("zone"), !f.empty.contains("zone") {
                error(line: f.node.mark?.line, path: Self.child(f.path, "zone"), "a \(kind.rawValue) detector needs the zone it covers")
            }
        }
        guard let acknowledgements else { return nil }
        return DeviceConfiguration(
            id: DeviceID(id), kind: kind, zone: zone, cameraZones: cameraZones ?? [],
            linkedZones: linkedZones ?? [], heartbeatSeconds: heartbeat ?? category?.intervalSeconds, wantsAcknowledgement: acknowledgements,
            supervisionCategory: category)
    }

    private mutating func zoneReference(_ entry: Entry?, in zones: Set<ZoneID>) -> ZoneID? {
        guard let entry, let id = identifier(entry) else { return nil }
        guard zones.contains(ZoneID(id)) else {
            var reason = "unknown zone '\(id)'"
            if let suggestion = KeySuggestion.closest(to: id, in: zones.map(\.rawValue).sorted()) { reason += "; did you mean '\(suggestion)'?" }
            error(entry, reason)
            return nil
        }
        return ZoneID(id)
    }

    private mutating func zoneReferences(_ entry: Entry?, in zones: Set<ZoneID>) -> [ZoneID]? {
        guard let items = list(entry) else { return nil }
        return items.compactMap { zoneReference($0, in: zones) }
    }
}
