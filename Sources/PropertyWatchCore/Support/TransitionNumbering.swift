/// Numbers each incident's transitions 1, 2, 3, … in the order `Watch` reports them, so a
/// transition is named by (incident, number) whatever its time and however the inputs were
/// batched. A counter is dropped a day after its incident's terminal transition.
struct TransitionNumbering: Sendable, Codable {
    private struct Ended: Sendable, Codable {
        var incident: IncidentID
        var at: Timestamp
    }

    @SnapshotOrdered private var counters: [IncidentID: Int] = [:]
    /// Terminal transitions in time order, from `head` on.
    private var ended: [Ended] = []
    private var head = 0
    static let keep = Milliseconds.hours(24)

    /// Sets `t.sequence` to the incident's next number.
    mutating func number(_ t: inout IncidentTransition) {
        forget(endedBefore: t.time - Self.keep)
        let n = counters[t.incident, default: 0] + 1
        counters[t.incident] = n
        t.sequence = n
        if IncidentLifecycle.isTerminal(t.to) { ended.append(Ended(incident: t.incident, at: t.time)) }
    }

    /// How many incidents have a counter (for tests).
    var count: Int { counters.count }

    private mutating func forget(endedBefore cutoff: Timestamp) {
        while head < ended.count, ended[head].at < cutoff {
            counters[ended[head].incident] = nil
            head += 1
        }
        if head > 64, head * 2 > ended.count {
            ended.removeFirst(head)
            head = 0
        }
    }
}
