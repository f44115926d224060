/// What the core asks the outside world to do. The pipeline carries these out after the
/// events that caused them are journaled.
public enum WatchAction: Sendable, Hashable {
    /// Record (and publish for operators) an incident's change of state.
    case transition(IncidentTransition)
    /// Send a guard request to a unit.
    case requestGuard(GuardRequest)
    /// Send a unit that holds a request (asked, or accepted and not yet cleared) the same
    /// request again because its incident changed: same `requestID`, the next `revision`.
    case updateRequest(GuardRequest)
    /// Publish a unit's plan for tonight (retained), because it changed.
    case publishPlan(UnitPlan)
    /// Tell the guard company's central over its webhook.
    case notifyCentral(incident: IncidentID, idempotencyKey: String, summary: String)
    /// Tell the on-call contact.
    case notifyOnCall(incident: IncidentID, contact: String, summary: String)
    /// Something operators should see that is not an incident change (late-to-close, missed stop).
    case warning(site: SiteID?, code: String, message: String)
    /// Why an event did or did not become an incident (`Decision`); journaled, counted, never published.
    case decision(Decision)
    /// Fetch the camera events the video system saw from `from` to `until` while it (or the
    /// broker link) was down; the pipeline hands it to the backfill after the commit.
    case fetchMissedVideo(from: Timestamp, until: Timestamp)
}
