/// Everything the engine remembers, apart from its timer queue (whose entries are only lower
/// bounds on real deadlines). Two engines fed the same messages are equal in this state
/// whatever the tick cadence in between.
struct CorrelationState: Sendable, Hashable {
    var startedAt: Int64?
    var sites: [SiteState]
    /// What every message from a device touches, by device slot: 16 bytes each, so the
    /// liveness of every device of a large estate stays in the processor's caches.
    var live: [DeviceLiveness]
    /// What alarm events and camera triggers touch, by device slot.
    var devices: [DeviceState]
    /// Alarms held back by a restore-cancel rule, by device slot.
    var pending: [Int: PendingAlarm] = [:]
    var incidents: [Int: IncidentRecord] = [:]
    var serials: [IncidentID: Int] = [:]
    var nextSerial = 1
    /// The Stockholm date of the last incident opened and how many opened that day: incident
    /// ids are numbered per day (`2026-11-27-0007`). (Dispatch side, issue 13.)
    var incidentDay: LocalDate?
    var incidentsThatDay = 0
    /// Sites whose panel reported them unset: the late-to-close candidates.
    var unsetSites: Set<Int> = []
    var counters = CorrelationCounters()
}

/// The arm state a site's panel last reported.
enum PanelState: Sendable, Hashable {
    /// No open/close seen: the schedule decides.
    case unknown
    case armed(since: Int64)
    case unset(since: Int64)
}

struct SiteState: Sendable, Hashable {
    var panel: PanelState = .unknown
    var lateWarned = false
    /// The active incident new events merge into.
    var current: Int?
    /// The latest attributed record, which attributed events within the merge window join.
    var attributed: Int?
    var intrusions: [RecentIntrusion] = []
    var cameras: [RecentCamera] = []
    var present: [Presence] = []
    var silences: [Silence] = []
    var offline = 0
    var communicationFailureRaised = false
}

struct RecentIntrusion: Sendable, Hashable {
    var device: Int
    var zone: ZoneID?
    var at: Int64
}

struct RecentCamera: Sendable, Hashable {
    var device: Int
    /// The zones the trigger itself named, besides the camera's configured coverage.
    var zones: [ZoneID]
    var at: Int64
    var snapshot: String?
}

struct Presence: Sendable, Hashable {
    var unit: UnitID
    var since: Int64
}

struct IncidentRecord: Sendable, Hashable {
    var incident: Incident
    var site: Int
    var lastActivity: Int64
}

/// When a device was last heard of, and the flags every message from it reads.
struct DeviceLiveness: Sendable, Hashable {
    var lastSeen: Int64 = 0
    var offline = false
    var hasPending = false
}

/// Per-device state of alarm events and camera triggers: plain values only (three cache lines).
struct DeviceState: Sendable, Hashable {
    var sequence = SequenceTracker()
    var flood = FloodState()
    var flap = FlapState()
}

struct PendingAlarm: Sendable, Hashable {
    var eventClass: EventClass
    var zone: ZoneID?
    var at: Int64
    var due: Int64
}

struct FloodState: Sendable, Hashable {
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

struct FlapState: Sendable, Hashable {
    /// 0 unknown, 1 in alarm, 2 restored.
    var last: UInt8 = 0
    var flapping = false
    var toggles: Int32 = 0
    var suppressed: Int32 = 0
    var windowStart: Int64 = 0
    var lastToggle: Int64 = 0
}
