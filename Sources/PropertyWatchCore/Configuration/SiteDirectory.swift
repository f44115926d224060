/// Constant-time look-ups over a `WatchConfiguration`, built once at start.
public struct SiteDirectory: Sendable {
    public let configuration: WatchConfiguration
    private let sitesByID: [SiteID: SiteConfiguration]
    /// Each device's configuration, by the directory's number for it (`deviceIndex`).
    private let deviceConfigurations: [DeviceConfiguration]
    private let unitsByID: [UnitID: UnitConfiguration]
    /// Devices by the raw bytes of their site and device ids, for the decoder.
    let devices: DeviceLookup

    /// Zones that devices name but the site does not list are added as plain zones, so
    /// every zone an event can carry is known (programmatic configurations often list none).
    ///
    /// Ids are made unique as the configuration loader requires them to be, for programmatic
    /// configurations: a site id's first site is kept, and a site's first device and zone of
    /// an id, so the decoder, the correlation engine and the dispatch coordinator see the same
    /// sites, and the directory's numbers for devices and zones are the engine's slots.
    public init(_ configuration: WatchConfiguration) {
        var configuration = configuration
        var siteIDs: Set<SiteID> = []
        configuration.sites.removeAll { !siteIDs.insert($0.id).inserted }
        for i in configuration.sites.indices {
            var deviceIDs: Set<DeviceID> = []
            configuration.sites[i].devices.removeAll { !deviceIDs.insert($0.id).inserted }
            var zoneIDs: Set<ZoneID> = []
            configuration.sites[i].zones.removeAll { !zoneIDs.insert($0.id).inserted }
        }
        for i in configuration.sites.indices {
            var known = Set(configuration.sites[i].zones.map(\.id))
            for device in configuration.sites[i].devices {
                for zone in [device.zone].compactMap({ $0 }) + device.cameraZones + device.linkedZones where known.insert(zone).inserted {
                    configuration.sites[i].zones.append(ZoneConfiguration(id: zone, name: zone.rawValue))
                }
            }
        }
        self.configuration = configuration
        self.sitesByID = Dictionary(uniqueKeysWithValues: configuration.sites.map { ($0.id, $0) })
        self.deviceConfigurations = configuration.sites.flatMap(\.devices)
        self.unitsByID = Dictionary(configuration.patrol.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Every device, numbered in configuration order (the correlation engine's slots).
        var entries: [DirectoryDevice] = []
        var zoneBase = 0
        for (i, site) in configuration.sites.enumerated() {
            defer { zoneBase += site.zones.count }
            let zones = ZoneNames(site.zones.map(\.id), firstSlot: zoneBase)
            for device in site.devices {
                entries.append(DirectoryDevice(
                    site: site.id, device: device.id, siteIndex: Int32(i), index: Int32(entries.count), zone: device.zone,
                    siteZones: zones))
            }
        }
        self.devices = DeviceLookup(entries)
    }

    public func site(_ id: SiteID) -> SiteConfiguration? { sitesByID[id] }

    public func device(_ id: DeviceID, at site: SiteID) -> DeviceConfiguration? {
        deviceIndex(id, at: site).map { deviceConfigurations[$0] }
    }

    /// The configuration of the device a decoded message carries the slot of (`DeviceSlot`):
    /// no look-up when the slot holds that device, the same as `device(_:at:)` otherwise.
    public func device(_ id: DeviceID, at site: SiteID, slot: DeviceSlot) -> DeviceConfiguration? {
        let i = Int(slot.index)
        if i >= 0, i < devices.entries.count, devices.entries[i].device == id, devices.entries[i].site == site {
            return deviceConfigurations[i]
        }
        return device(id, at: site)
    }

    /// How many devices the directory numbers (see `deviceIndex(_:at:)`).
    public var deviceCount: Int { devices.entries.count }

    /// The device's dense number, `0..<deviceCount`, in configuration order; nil when unknown.
    public func deviceIndex(_ id: DeviceID, at site: SiteID) -> Int? {
        var s = site.rawValue, d = id.rawValue
        return s.withUTF8 { s in
            d.withUTF8 { d in devices.find(site: UnsafeRawBufferPointer(s), device: UnsafeRawBufferPointer(d)) }
        }
    }

    /// `deviceIndex(_:at:)` as a message carries it (what the decoder sets).
    public func slot(_ id: DeviceID, at site: SiteID) -> DeviceSlot {
        guard let index = deviceIndex(id, at: site) else { return .unresolved }
        return devices.entries[index].slot
    }

    public func unit(_ id: UnitID) -> UnitConfiguration? { unitsByID[id] }
}
