/// The times that matter in one incident's handling, as the dispatch coordinator saw them.
///
/// Response time runs from the alarm to the guard on site, or from the verification when the
/// incident was dispatched only once verified. Handling time runs from on site to cleared.
public struct IncidentTimes: Sendable, Hashable, Codable {
    /// When the incident opened (its first alarm or trigger).
    public var alarm: Timestamp?
    /// When it was first seen verified (two detectors, or alarm and camera).
    public var verified: Timestamp?
    /// The first guard request.
    public var requested: Timestamp?
    /// The unit that took it accepted.
    public var accepted: Timestamp?
    public var enRoute: Timestamp?
    public var onSite: Timestamp?
    public var cleared: Timestamp?

    public init(
        alarm: Timestamp? = nil, verified: Timestamp? = nil, requested: Timestamp? = nil, accepted: Timestamp? = nil,
        enRoute: Timestamp? = nil, onSite: Timestamp? = nil, cleared: Timestamp? = nil
    ) {
        self.alarm = alarm
        self.verified = verified
        self.requested = requested
        self.accepted = accepted
        self.enRoute = enRoute
        self.onSite = onSite
        self.cleared = cleared
    }

    /// Where response time starts: the verification when dispatch waited for it, else the alarm.
    public var responseStart: Timestamp? {
        if let verified, let requested, verified <= requested, alarm.map({ verified > $0 }) ?? true { return verified }
        return alarm
    }

    /// Alarm (or verification) to on site.
    public var responseTime: Milliseconds? {
        guard let start = responseStart, let onSite else { return nil }
        return onSite - start
    }

    /// On site to cleared.
    public var handlingTime: Milliseconds? {
        guard let onSite, let cleared else { return nil }
        return cleared - onSite
    }
}
