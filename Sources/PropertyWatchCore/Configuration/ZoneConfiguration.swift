/// A zone of a site: a room or area, or a panel's numbered detector zone.
public struct ZoneConfiguration: Sendable, Hashable, Codable {
    public var id: ZoneID
    public var name: String
    /// The panel's zone number, for events that name the zone by number (SIA, Contact ID).
    public var number: Int?
    /// The panel whose zone `number` this is, at a site with several panels; nil: any.
    public var panel: DeviceID?
    /// The partition it belongs to; nil: the site's first (or implicit) partition.
    public var partition: PartitionID?
    /// What detects in it, when the zone is a panel zone (for restore-cancel defaults).
    public var detector: DeviceKind?
    /// Restore-cancel delay for this zone, overriding the rule by detector kind (0: none).
    public var restoreCancel: Milliseconds?
    /// Flapping settings for this zone, overriding the site's.
    public var flapping: FlapRule?
    /// Camera zones whose person/vehicle detections verify alarms in this zone.
    public var verifiedBy: [ZoneID]
    /// A camera detection in this zone while its partition is armed opens an incident
    /// (a camera alarm zone), instead of an observation record.
    public var cameraAlarm: Bool

    public init(
        id: ZoneID, name: String, number: Int? = nil, panel: DeviceID? = nil, partition: PartitionID? = nil, detector: DeviceKind? = nil,
        restoreCancel: Milliseconds? = nil, flapping: FlapRule? = nil, verifiedBy: [ZoneID] = [], cameraAlarm: Bool = false
    ) {
        self.id = id
        self.name = name
        self.number = number
        self.panel = panel
        self.partition = partition
        self.detector = detector
        self.restoreCancel = restoreCancel
        self.flapping = flapping
        self.verifiedBy = verifiedBy
        self.cameraAlarm = cameraAlarm
    }
}
