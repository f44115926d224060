/// Immutable facts about a site, derived from the configuration once at start.
struct SiteInfo: Sendable {
    let id: SiteID
    let kind: SiteKind
    /// Index into `CorrelationTables.rules`.
    let rules: Int
    let devices: [Int]
    let supervised: [Int]
    /// Its partitions (at least the implicit one), in configuration order.
    let partitions: [PartitionID]
    /// Zone slots by zone id.
    let zones: [ZoneID: Int]
    /// Its configured users by id; empty: openings are not checked against users.
    let users: [UserID: UserConfiguration]

    func partitionIndex(_ id: PartitionID) -> Int? { partitions.firstIndex(of: id) }
}

/// Immutable facts about a zone, with the rules that apply to it resolved.
struct ZoneInfo: Sendable {
    let id: ZoneID
    let site: Int
    /// Index into the site's `partitions`.
    let partition: Int
    /// Restore-cancel delay for intrusions in this zone, ms (0: none); from the zone, else by detector kind.
    let restoreDelay: Int64
    let flapping: FlapRule
    let cameraAlarm: Bool
    let verifiedBy: [ZoneID]
}

/// Immutable facts about a device, derived from the configuration once at start.
struct DeviceInfo: Sendable {
    let id: DeviceID
    let site: Int
    let kind: DeviceKind
    let zone: ZoneID?
    /// Its zone's slot, or -1.
    let zoneSlot: Int
    /// The zones a camera sees.
    let cameraZones: [ZoneID]
    /// Zones a camera's detections verify whatever zone they name (`linked_zones`).
    let linkedZones: [ZoneID]
    /// Heartbeat interval in milliseconds; 0 when not supervised.
    let heartbeat: Int64
    /// The supervision category it was configured with, for explanations.
    let category: SupervisionCategory?
}

/// A resolved device: where its state lives, with the facts every event needs.
struct DeviceRef: Sendable, Hashable {
    /// The directory's number for the device (`SiteDirectory.deviceIndex`), also its slot in
    /// the engine's per-device arrays.
    var slot: Int32
    var site: Int32
    /// Index into `CorrelationTables.rules`.
    var rules: Int32
}

/// Slot numbers for sites, zones and devices, so per-event state lives in flat arrays.
/// Device slots are the directory's device numbers, so a message the decoder resolved
/// (`DeviceSlot`) needs no further look-up.
struct CorrelationTables: Sendable {
    let sites: [SiteInfo]
    let zones: [ZoneInfo]
    let devices: [DeviceInfo]
    let siteSlots: [SiteID: Int]
    let rules: [CorrelationRules]
    /// Slots of the sites with a camera in the Frigate mapping, ascending.
    let frigateSites: [Int]

    init(directory: SiteDirectory, policy: CorrelationPolicy) {
        var sites: [SiteInfo] = []
        var zones: [ZoneInfo] = []
        var devices: [DeviceInfo] = []
        var siteSlots: [SiteID: Int] = [:]
        var rules: [CorrelationRules] = [policy.defaults]
        // The directory has made site ids, and device ids within a site, unique.
        for site in directory.configuration.sites {
            let slot = sites.count
            siteSlots[site.id] = slot
            var ruleIndex = 0
            if let override = policy.overrides[site.id] ?? site.rules {
                ruleIndex = rules.count
                rules.append(override)
            }
            let siteRules = rules[ruleIndex]
            let partitions = site.effectivePartitions.map(\.id)
            var zoneSlots: [ZoneID: Int] = [:]
            // The directory has made zone ids unique per site; their numbers are these slots.
            for zone in site.zones {
                zoneSlots[zone.id] = zones.count
                let partition = zone.partition.flatMap { partitions.firstIndex(of: $0) } ?? 0
                // A room zone's detectors may differ in kind: its restore delay then comes from the device.
                zones.append(ZoneInfo(
                    id: zone.id, site: slot, partition: partition,
                    restoreDelay: zone.restoreCancel != nil || zone.detector != nil ? siteRules.restoreDelay(zone: zone, kind: nil) : -1,
                    flapping: zone.flapping ?? siteRules.flapping, cameraAlarm: zone.cameraAlarm, verifiedBy: zone.verifiedBy))
            }
            var slots: [Int] = []
            var supervised: [Int] = []
            for device in site.devices {
                let deviceSlot = devices.count
                slots.append(deviceSlot)
                let seconds = device.heartbeatSeconds ?? device.supervisionCategory?.intervalSeconds ?? 0
                let heartbeat = Int64(max(0, seconds)) * 1000
                if heartbeat > 0 { supervised.append(deviceSlot) }
                devices.append(DeviceInfo(
                    id: device.id, site: slot, kind: device.kind, zone: device.zone,
                    zoneSlot: device.zone.flatMap { zoneSlots[$0] } ?? -1,
                    cameraZones: device.cameraZones, linkedZones: device.linkedZones,
                    heartbeat: heartbeat, category: device.supervisionCategory))
            }
            sites.append(SiteInfo(
                id: site.id, kind: site.kind, rules: ruleIndex, devices: slots, supervised: supervised,
                partitions: partitions, zones: zoneSlots,
                users: Dictionary(site.users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })))
        }
        self.sites = sites
        self.zones = zones
        self.devices = devices
        self.siteSlots = siteSlots
        precondition(devices.count == directory.deviceCount, "device slots are the directory's numbers")
        self.rules = rules
        self.frigateSites = Set(directory.configuration.frigate.cameras.values.compactMap { siteSlots[$0.site] }).sorted()
    }

    func rules(site: Int) -> CorrelationRules { rules[sites[site].rules] }

    /// The device a decoded message's slot names, when it is `device` of `site`.
    @inline(__always)
    func ref(_ slot: DeviceSlot, site: SiteID, device: DeviceID) -> DeviceRef? {
        let i = Int(slot.index), s = Int(slot.site)
        guard i >= 0, i < devices.count, devices[i].site == s, devices[i].id == device, sites[s].id == site else { return nil }
        return DeviceRef(slot: slot.index, site: slot.site, rules: Int32(sites[s].rules))
    }

    /// Whether zone slot `slot` (a decoded message's) is `zone` of site slot `site`.
    @inline(__always)
    func zone(_ slot: Int32, is zone: ZoneID, at site: Int) -> Bool {
        let i = Int(slot)
        return i >= 0 && i < zones.count && zones[i].site == site && zones[i].id == zone
    }

    /// The device the directory numbers `index`.
    func ref(_ index: Int) -> DeviceRef {
        let site = devices[index].site
        return DeviceRef(slot: Int32(index), site: Int32(site), rules: Int32(sites[site].rules))
    }

    /// The restore-cancel delay for an intrusion from `device` in zone slot `zone` (-1: none known), ms.
    func restoreDelay(device: Int, zone: Int) -> Int64 {
        if zone >= 0, zones[zone].restoreDelay >= 0 { return zones[zone].restoreDelay }
        let rules = rules(site: devices[device].site)
        return max(0, rules.restoreCancel[devices[device].kind]?.value ?? 0)
    }

    /// The flapping rule for zone slot `zone`, else the site's.
    func flapping(zone: Int, site: Int) -> FlapRule {
        zone >= 0 ? zones[zone].flapping : rules(site: site).flapping
    }
}
