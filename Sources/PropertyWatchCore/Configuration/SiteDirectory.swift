/// Constant-time look-ups over a `WatchConfiguration`, built once at start.
public struct SiteDirectory: Sendable {
    public let configuration: WatchConfiguration
    private let sitesByID: [SiteID: SiteConfiguration]
    private let devicesBySite: [SiteID: [DeviceID: DeviceConfiguration]]
    private let unitsByID: [UnitID: UnitConfiguration]

    public init(_ configuration: WatchConfiguration) {
        self.configuration = configuration
        var sites: [SiteID: SiteConfiguration] = [:]
        var devices: [SiteID: [DeviceID: DeviceConfiguration]] = [:]
        for site in configuration.sites {
            sites[site.id] = site
            devices[site.id] = Dictionary(site.devices.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        self.sitesByID = sites
        self.devicesBySite = devices
        self.unitsByID = Dictionary(configuration.patrol.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func site(_ id: SiteID) -> SiteConfiguration? { sitesByID[id] }

    public func device(_ id: DeviceID, at site: SiteID) -> DeviceConfiguration? {
        devicesBySite[site]?[id]
    }

    public func unit(_ id: UnitID) -> UnitConfiguration? { unitsByID[id] }
}
