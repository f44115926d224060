/// Everything the engine remembers, apart from its timer queue (whose entries are only lower
/// bounds on real deadlines). Two engines fed the same messages are equal in this state
/// whatever the tick cadence in between.
struct CorrelationState: Sendable, Hashable, Codable {
    var startedAt: Int64?
    var sites: [SiteState]
    /// What every message from a device touches, by device slot: 16 bytes each, so the
    /// liveness of every device of a large estate stays in the processor's caches.
    var live: [DeviceLiveness]
    /// What alarm events and camera triggers touch, by device slot.
    var devices: [DeviceState]
    /// Flapping state by detector key (a zone slot, or zone count + device slot for a
    /// detector without a configured zone).
    var flaps: [FlapState]
    /// Alarms held back by a restore-cancel rule, by detector key.
    var pending: [Int: PendingAlarm] = [:]
    var incidents: [Int: IncidentRecord] = [:]
    @SnapshotOrdered var serials: [IncidentID: Int] = [:]
    var nextSerial = 1
    /// Partitions reported unset: the late-to-close candidates.
    @SnapshotOrdered var unsetPartitions: Set<PartitionRef> = []
    /// The Stockholm date of the last incident opened and how many opened that day: incident
    /// ids are numbered per day (`2026-11-27-0007`).
    var incidentDay: LocalDate?
    var incidentsThatDay = 0
    var counters = CorrelationCounters()
    /// Since when Frigate has reported itself offline (`frigate/available`), if it does.
    var frigateOfflineSince: Int64?
}

/// A partition of a site, by slots.
struct PartitionRef: Sendable, Hashable, Comparable, Codable {
    var site: Int
    var partition: Int

    static func < (a: PartitionRef, b: PartitionRef) -> Bool { (a.site, a.partition) < (b.site, b.partition) }
}

/// A partition's arm state as its panel last reported it.
struct PartitionState: Sendable, Hashable, Codable {
    var arm: PanelState = .unknown
    /// Who set or unset it last.
    var by: UserID?
    /// The open late-to-close incident, by serial.
    var lateIncident: Int?
    /// A late-to-close incident was raised in the current unset period.
    var lateRaised = false
}

/// The arm state a site's panel last reported.
enum PanelState: Sendable, Hashable, Codable {
    /// No open/close seen: the schedule decides.
    case unknown
    case armed(since: Int64)
    case unset(since: Int64)
}

struct SiteState: Sendable, Hashable, Codable {
    var partitions: [PartitionState] = []
    /// The active alarm incident new alarm events merge into.
    var current: Int?
    /// Open technical incidents (supervision, late-to-close, flapping, …) by `kind:subject`.
    var technical: [String: Int] = [:]
    /// The latest trouble report (mains failure, low battery, …), the probable cause of an outage.
    var lastTrouble: LastTrouble?
    /// The latest attributed record, which attributed events within the merge window join.
    var attributed: Int?
    var intrusions: [RecentIntrusion] = []
    var cameras: [RecentCamera] = []
    var present: [Presence] = []
    var silences: [Silence] = []
    var offline = 0
    var communicationFailureRaised = false
    /// Why video verification is unavailable here: `frigate` or a camera id → since when.
    /// Empty: available.
    var videoDown: [String: Int64] = [:]
    /// Recent camera events followed through their lifecycle (new, update, end), oldest first.
    var observations: [CameraObservation] = []
}

/// One camera event (a Frigate event id) followed from `new` to `end`.
struct CameraObservation: Sendable, Hashable, Codable {
    var device: Int
    var eventID: String
    /// Zones it has been seen in so far (as the triggers named them).
    var zones: [ZoneID]
    var ended = false
    var snapshot: String?
    /// The incident it contributed to, by serial.
    var incident: Int?

    /// Observations kept per site; older ones fall back on the per-device event id memory.
    static let kept = 16
}

struct RecentIntrusion: Sendable, Hashable, Codable {
    var device: Int
    var zone: ZoneID?
    var zoneSlot: Int
    var at: Int64
}

struct LastTrouble: Sendable, Hashable, Codable {
    var kind: TroubleKind
    var device: Int
    var at: Int64
}

struct RecentCamera: Sendable, Hashable, Codable {
    var device: Int
    /// The zones the trigger itself named, besides the camera's configured coverage.
    var zones: [ZoneID]
    var at: Int64
    var snapshot: String?
}

struct Presence: Sendable, Hashable, Codable {
    var unit: UnitID
    var since: Int64
}

struct IncidentRecord: Sendable, Hashable, Codable {
    var incident: Incident
    var site: Int
    var lastActivity: Int64
    /// For a technical incident, its key in `SiteState.technical`.
    var technicalKey: String?
    /// An unverified intrusion waiting for verification (verify first) until this time.
    var awaitingUntil: Int64?
}

/// When a device was last heard of, and whether it is in supervision fault.
struct DeviceLiveness: Sendable, Hashable, Codable {
    var lastSeen: Int64 = 0
    var offline = false
    /// When it was declared in fault.
    var offlineSince: Int64 = 0
    /// Its last supervision outage, once it ended: events it buffered meanwhile may explain it.
    var lastOutage: Outage?
}

/// A supervision fault that ended: when, its incident, and whether a probable cause was given.
struct Outage: Sendable, Hashable, Codable {
    var from: Int64
    var until: Int64
    var incident: IncidentID
    var priority: IncidentPriority
    var explained: Bool
}

/// Per-device state of alarm events and camera triggers: plain values only.
struct DeviceState: Sendable, Hashable, Codable {
    var sequence = SequenceTracker()
    var flood = FloodState()
}

struct PendingAlarm: Sendable, Hashable, Codable {
    var device: Int
    var zone: ZoneID?
    var zoneSlot: Int
    var at: Int64
    var due: Int64
}

struct FloodState: Sendable, Hashable, Codable {
    /// Bucket level in 1/60_000 of a token, so a per-minute rate refills exactly per millisecond.
    var level: Int64 = .max
    var updatedAt: Int64 = 0
    var flooding = false
    var since: Int64 = 0
    var lastExcess: Int64 = 0
    var suppressed: Int32 = 0

    static let token: Int64 = 60_000

    /// Takes a token if there is one.
    mutating func take(now: Int64, ratePerMinute: Int64, burst: Int64) -> Bool {
        let capacity = burst * Self.token
        let rate = max(1, ratePerMinute)
        let elapsed = min(max(0, now - updatedAt), capacity / rate + 1)
        level = min(capacity, level > capacity ? capacity : level + elapsed * rate)
        updatedAt = now
        guard level >= Self.token else { return false }
        level -= Self.token
        return true
    }
}

struct FlapState: Sendable, Hashable, Codable {
    /// 0 unknown, 1 in alarm, 2 restored.
    var last: UInt8 = 0
    var flapping = false
    var toggles: Int32 = 0
    var suppressed: Int32 = 0
    var windowStart: Int64 = 0
    var lastToggle: Int64 = 0
}
