/// What the engine absorbed without an action; for metrics and tests.
public struct CorrelationCounters: Sendable, Hashable, Codable {
    /// Same (device, event id) or (device, sequence) seen again.
    public var duplicates = 0
    /// A sequence number behind the device's latest, not seen recently: accepted out of order.
    public var lateEvents = 0
    /// Alarm events a device buffered: device time behind by more than the clock-skew limit,
    /// within the late window (`AlarmEvent.late`).
    public var buffered = 0
    public var sequenceGaps = 0
    public var sequenceResets = 0
    /// Events from a flooding device over its token bucket.
    public var floodSuppressed = 0
    /// Alarms from a flapping detector.
    public var flapSuppressed = 0
    /// Alarms whose detector restored within the restore-cancel delay.
    public var restoreCancelled = 0
    public var alarmsWhileUnset = 0
    /// Events recorded as attributed to a present guard.
    public var attributed = 0
    /// Events recorded under a silence.
    public var silenced = 0
    /// Messages naming a device the directory does not know.
    public var unknownDevices = 0
    /// Test, bypass and restore events, motion-only camera triggers: no rule uses them.
    public var ignored = 0
    /// Decisions recorded, by verdict.
    public var decisions: [Decision.Verdict: Int] {
        Dictionary(uniqueKeysWithValues: zip(Decision.Verdict.allCases, byVerdict).filter { $0.1 > 0 })
    }

    /// Counts by `Decision.Verdict.allCases` position: counting costs no hashing.
    private var byVerdict = [Int](repeating: 0, count: Decision.Verdict.allCases.count)
    private static let verdicts = Decision.Verdict.allCases

    mutating func count(_ verdict: Decision.Verdict) {
        byVerdict[Self.verdicts.firstIndex(of: verdict) ?? 0] += 1
    }

    public init() {}
}
