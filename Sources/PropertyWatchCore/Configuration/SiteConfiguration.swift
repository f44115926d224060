/// The kinds of property PropertyWatch guards.
public enum SiteKind: String, Sendable, Hashable, CaseIterable, Codable {
    case school, preschool, civic, office, other
}

/// What a device is.
public enum DeviceKind: String, Sendable, Hashable, CaseIterable, Codable {
    case panel
    case pir
    case door
    case glassBreak = "glass-break"
    case smoke
    case heat
    case holdUp = "hold-up"
    case camera
    case other
}

/// A zone of a site.
public struct ZoneConfiguration: Sendable, Hashable, Codable {
    public var id: ZoneID
    public var name: String

    public init(id: ZoneID, name: String) {
        self.id = id
        self.name = name
    }
}

/// An alarm panel, detector or camera at a site.
public struct DeviceConfiguration: Sendable, Hashable, Codable {
    public var id: DeviceID
    public var kind: DeviceKind
    /// The zone a detector covers; cameras list theirs in `cameraZones`.
    public var zone: ZoneID?
    /// Zones a camera sees.
    public var cameraZones: [ZoneID]
    /// Detector zones whose alarms a camera can verify.
    public var linkedZones: [ZoneID]
    /// Expected heartbeat interval in seconds; nil means the device is not supervised.
    public var heartbeatSeconds: Int?
    /// Whether the device retransmits until it gets an end-to-end acknowledgement.
    public var wantsAcknowledgement: Bool

    public init(
        id: DeviceID, kind: DeviceKind, zone: ZoneID? = nil, cameraZones: [ZoneID] = [],
        linkedZones: [ZoneID] = [], heartbeatSeconds: Int? = nil, wantsAcknowledgement: Bool = true
    ) {
        self.id = id
        self.kind = kind
        self.zone = zone
        self.cameraZones = cameraZones
        self.linkedZones = linkedZones
        self.heartbeatSeconds = heartbeatSeconds
        self.wantsAcknowledgement = wantsAcknowledgement
    }
}

/// One guarded property and everything PropertyWatch knows about it.
public struct SiteConfiguration: Sendable, Hashable {
    public var id: SiteID
    public var name: String
    public var kind: SiteKind
    public var address: String
    public var location: Coordinate
    public var zones: [ZoneConfiguration]
    public var devices: [DeviceConfiguration]
    public var schedule: SiteSchedule
    /// Higher is more important when incidents compete for a unit (1…10).
    public var priority: Int

    public init(
        id: SiteID, name: String, kind: SiteKind, address: String, location: Coordinate,
        zones: [ZoneConfiguration] = [], devices: [DeviceConfiguration] = [],
        schedule: SiteSchedule = SiteSchedule(), priority: Int = 5
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.address = address
        self.location = location
        self.zones = zones
        self.devices = devices
        self.schedule = schedule
        self.priority = priority
    }

    public func device(_ id: DeviceID) -> DeviceConfiguration? {
        devices.first { $0.id == id }
    }
}
