/// One event from an alarm panel or detector, decoded and validated.
public struct AlarmEvent: Sendable, Hashable {
    public var site: SiteID
    public var device: DeviceID
    public var zone: ZoneID?
    /// The partition (area) it concerns, when the panel said (SIA `ri`, Contact ID's group).
    public var partition: PartitionID?
    /// The user (code holder) who caused it, for openings and closings (SIA `id`, Contact ID's user).
    public var user: UserID?
    public var eventClass: EventClass
    /// The condition reported by `eventClass` has ended (SIA R-codes, Contact ID qualifier 3).
    public var isRestore: Bool
    public var trouble: TroubleKind?
    /// Monotonic per device; gaps mean lost events.
    public var sequence: UInt64
    /// Unique per device; with `sequence`, the deduplication key.
    public var eventID: String
    /// The device's own clock.
    public var deviceTime: Timestamp
    /// The protocol code it arrived as, e.g. `SIA:BA` or `CID:E130`, when not our own name.
    public var code: String?
    /// Its device time is further behind its receive time than the clock-skew limit, within
    /// the late window: the device buffered it (an outage). Set by the decoder; the engine
    /// records it and never dispatches on it as if it were live (see the EventContract article).
    public var late: Bool
    /// Its place among the events of one multi-event frame that share `sequence` (SIA DC-09
    /// frames can carry several): 1 for the first or only one.
    public var part: UInt8
    /// The directory's number for (site, device), set by the decoder (see `DeviceSlot`).
    public var slot: DeviceSlot

    public init(
        site: SiteID, device: DeviceID, zone: ZoneID? = nil, eventClass: EventClass,
        isRestore: Bool = false, trouble: TroubleKind? = nil, sequence: UInt64, eventID: String,
        deviceTime: Timestamp, code: String? = nil, partition: PartitionID? = nil, user: UserID? = nil,
        late: Bool = false, part: UInt8 = 1, slot: DeviceSlot = .unresolved
    ) {
        self.slot = slot
        self.late = late
        self.part = part
        self.partition = partition
        self.user = user
        self.site = site
        self.device = device
        self.zone = zone
        self.eventClass = eventClass
        self.isRestore = isRestore
        self.trouble = trouble
        self.sequence = sequence
        self.eventID = eventID
        self.deviceTime = deviceTime
        self.code = code
    }
}
