/// Immutable facts about a site, derived from the configuration once at start.
struct SiteInfo: Sendable {
    let id: SiteID
    let kind: SiteKind
    /// Index into `CorrelationTables.rules`.
    let rules: Int
    let devices: [Int]
    let supervised: [Int]
}

/// Immutable facts about a device, derived from the configuration once at start.
struct DeviceInfo: Sendable {
    let id: DeviceID
    let site: Int
    let kind: DeviceKind
    let zone: ZoneID?
    /// Zones whose alarms this camera can verify: its `cameraZones` and `linkedZones`.
    let coverage: [ZoneID]
    /// Heartbeat interval in milliseconds; 0 when not supervised.
    let heartbeat: Int64
    /// Restore-cancel delays (milliseconds) by event class, from the site's rules.
    let restoreDelays: [RestoreDelay]

    struct RestoreDelay: Sendable {
        let eventClass: EventClass
        let delay: Int64
    }

    func restoreDelay(for eventClass: EventClass) -> Int64? {
        for rule in restoreDelays where rule.eventClass == eventClass { return rule.delay }
        return nil
    }
}

/// Slot numbers for sites and devices, so per-event state lives in flat arrays.
struct CorrelationTables: Sendable {
    let sites: [SiteInfo]
    let devices: [DeviceInfo]
    let siteSlots: [SiteID: Int]
    let index: DeviceIndex
    let rules: [CorrelationRules]

    init(directory: SiteDirectory, policy: CorrelationPolicy) {
        var sites: [SiteInfo] = []
        var devices: [DeviceInfo] = []
        var siteSlots: [SiteID: Int] = [:]
        var refs: [(SiteID, DeviceID, DeviceRef)] = []
        var rules: [CorrelationRules] = [policy.defaults]
        for site in directory.configuration.sites where siteSlots[site.id] == nil {
            let slot = sites.count
            siteSlots[site.id] = slot
            var ruleIndex = 0
            if let override = policy.overrides[site.id] {
                ruleIndex = rules.count
                rules.append(override)
            }
            let siteRules = rules[ruleIndex]
            var known: Set<DeviceID> = []
            var slots: [Int] = []
            var supervised: [Int] = []
            for device in site.devices where known.insert(device.id).inserted {
                let deviceSlot = devices.count
                refs.append((site.id, device.id, DeviceRef(slot: Int32(deviceSlot), site: Int32(slot), rules: Int32(ruleIndex))))
                slots.append(deviceSlot)
                let heartbeat = Int64(max(0, device.heartbeatSeconds ?? 0)) * 1000
                if heartbeat > 0 { supervised.append(deviceSlot) }
                var coverage = device.cameraZones
                for zone in device.linkedZones where !coverage.contains(zone) { coverage.append(zone) }
                devices.append(DeviceInfo(
                    id: device.id, site: slot, kind: device.kind, zone: device.zone, coverage: coverage,
                    heartbeat: heartbeat,
                    restoreDelays: siteRules.restoreCancel
                        .filter { $0.deviceKinds.contains(device.kind) && $0.delay.value > 0 }
                        .map { DeviceInfo.RestoreDelay(eventClass: $0.eventClass, delay: $0.delay.value) }))
            }
            sites.append(SiteInfo(id: site.id, kind: site.kind, rules: ruleIndex, devices: slots, supervised: supervised))
        }
        self.sites = sites
        self.devices = devices
        self.siteSlots = siteSlots
        self.index = DeviceIndex(refs)
        self.rules = rules
    }
}
