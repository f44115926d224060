/// What the dispatch coordinator reacts to.
public enum DispatchInput: Sendable, Hashable {
    /// A new incident needs a guard, or its priority rose: re-evaluated, never re-sent to a
    /// unit that already has a request pending for it.
    case incidentNeedsGuard(Incident)
    /// The incident was cleared, closed or cancelled elsewhere: escalation stops.
    case incidentEnded(IncidentID, reason: String)
    case position(UnitPosition)
    case checkIn(CheckIn)
    case unitStatus(UnitStatusReport)
    case reply(GuardReply)
    /// A rule asks for a check of the site about `incident`; withdrawn when the incident ends.
    case incidentCheck(site: SiteID, incident: IncidentID, reason: String)
    /// An operator asks for an extra check of a site tonight.
    case directedCheck(site: SiteID, notBefore: Timestamp?, by: String, reason: String)
    /// The outcome of one central webhook attempt, reported by the I/O layer.
    case centralDelivery(incident: IncidentID, idempotencyKey: String, succeeded: Bool)
}
