import PropertyWatchCore

extension ConfigurationReader {
    /// Roughly Sweden's bounding box; coordinates outside it are probably swapped or mistyped.
    static let swedenLatitudes = 55.0...69.2
    static let swedenLongitudes = 10.5...24.3

    static let detectorKinds: Set<DeviceKind> = [.pir, .door, .glassBreak, .smoke, .heat, .holdUp]

    mutating func sites(_ entry: Entry?) -> [SiteConfiguration] {
        guard let items = list(entry) else { return [] }
        if items.isEmpty, let entry { warning(entry, "no sites are configured") }
        var sites: [SiteConfiguration] = []
        var seen: Set<String> = []
        for item in items {
            guard let site = site(item) else { continue }
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

    private mutating func site(_ entry: Entry) -> SiteConfiguration? {
        guard let f = fields(entry, known: [
            "id", "name", "kind", "address", "location", "priority", "zones", "devices",
            "opening_hours", "arm_by", "arm_grace_minutes", "exceptions", "holidays",
        ]) else { return nil }
        let id = identifier(require(f, "id"))
        let name = string(require(f, "name"))
        let kind = choice(require(f, "kind"), of: SiteKind.allCases.map(\.rawValue)).flatMap(SiteKind.init(rawValue:))
        let address = string(require(f, "address"))
        let location = location(require(f, "location"))
        let priority = f.has("priority") ? int(f["priority"], in: 1...10) : 5
        let zones = zones(f["zones"])
        let devices = devices(f["devices"], zones: Set(zones.map(\.id)))
        let schedule = schedule(f)
        guard let id, let name, let kind, let address, let location, let priority else { return nil }
        return SiteConfiguration(
            id: SiteID(id), name: name, kind: kind, address: address, location: location,
            zones: zones, devices: devices, schedule: schedule, priority: priority)
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

    private mutating func zones(_ entry: Entry?) -> [ZoneConfiguration] {
        var zones: [ZoneConfiguration] = []
        var seen: Set<String> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: ["id", "name"]) else { continue }
            let id = identifier(require(f, "id"))
            let name = f.has("name") ? string(f["name"]) : id
            guard let id, let name else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate zone id '\(id)'")
                continue
            }
            zones.append(ZoneConfiguration(id: ZoneID(id), name: name))
        }
        return zones
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
            "id", "kind", "zone", "camera_zones", "linked_zones", "heartbeat_seconds", "acknowledgements",
        ]) else { return nil }
        let id = identifier(require(f, "id"))
        let kind = choice(require(f, "kind"), of: DeviceKind.allCases.map(\.rawValue)).flatMap(DeviceKind.init(rawValue:))
        let zone = zoneReference(f["zone"], in: zones)
        let cameraZones = zoneReferences(f["camera_zones"], in: zones)
        let linkedZones = zoneReferences(f["linked_zones"], in: zones)
        let heartbeat = int(f["heartbeat_seconds"], in: 10...86_400)
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
            linkedZones: linkedZones ?? [], heartbeatSeconds: heartbeat, wantsAcknowledgement: acknowledgements)
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
