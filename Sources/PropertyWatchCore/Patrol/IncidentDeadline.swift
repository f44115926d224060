/// An incident's timer in the coordinator's deadline heap: an acknowledgement timeout or a
/// central webhook retry. Ordered by time, then kind and incident.
///
/// Entries are not removed when the timer is cancelled or moved; one counts only while the
/// incident is open and still has that deadline (`DispatchCoordinator.isCurrent`).
struct IncidentDeadline: Sendable, Hashable, Comparable, Codable {
    enum Kind: UInt8, Sendable, Codable {
        case acknowledgement, centralRetry, centralTimeout
    }

    var at: Timestamp
    var kind: Kind
    var incident: IncidentID

    static func < (a: IncidentDeadline, b: IncidentDeadline) -> Bool {
        (a.at, a.kind.rawValue, a.incident) < (b.at, b.kind.rawValue, b.incident)
    }
}
