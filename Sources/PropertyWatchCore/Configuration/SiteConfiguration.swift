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
    /// The EN 50136-1 category its `heartbeatSeconds` came from, when named that way.
    public var supervisionCategory: SupervisionCategory?

    public init(
        id: DeviceID, kind: DeviceKind, zone: ZoneID? = nil, cameraZones: [ZoneID] = [],
        linkedZones: [ZoneID] = [], heartbeatSeconds: Int? = nil, wantsAcknowledgement: Bool = true,
        supervisionCategory: SupervisionCategory? = nil
    ) {
        self.supervisionCategory = supervisionCategory
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
public struct SiteConfiguration: Sendable, Hashable, Encodable {
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
    /// The partitions (areas) of its alarm system; empty means one implicit partition.
    public var partitions: [PartitionConfiguration]
    /// The alarm system's users (code holders).
    public var users: [UserConfiguration]
    /// This site's rule settings over the global defaults (nil: the defaults).
    public var rules: CorrelationRules?

    public init(
        id: SiteID, name: String, kind: SiteKind, address: String, location: Coordinate,
        zones: [ZoneConfiguration] = [], devices: [DeviceConfiguration] = [],
        schedule: SiteSchedule = SiteSchedule(), priority: Int = 5,
        partitions: [PartitionConfiguration] = [], users: [UserConfiguration] = [], rules: CorrelationRules? = nil
    ) {
        self.partitions = partitions
        self.users = users
        self.rules = rules
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

    public func zone(_ id: ZoneID) -> ZoneConfiguration? {
        zones.first { $0.id == id }
    }

    /// The partition a zone belongs to: its own, else the site's first (the implicit one).
    public func partition(ofZone id: ZoneID?) -> PartitionID {
        if let id, let p = zone(id)?.partition { return p }
        return partitions.first?.id ?? PartitionConfiguration.implicitID
    }

    /// The partitions, or the one implicit partition when none is configured.
    public var effectivePartitions: [PartitionConfiguration] {
        partitions.isEmpty ? [PartitionConfiguration(id: PartitionConfiguration.implicitID, name: name)] : partitions
    }
}
