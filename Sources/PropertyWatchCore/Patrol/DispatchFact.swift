/// Something the dispatch coordinator did or learnt that moves an incident through its
/// lifecycle: a unit was asked, accepted, is on its way, arrived or cleared, or nobody took
/// the incident and it was escalated.
///
/// The coordinator decides these (from its units, requests, timers and the guard replies,
/// which only it consumes); it does not know or report the incident's state. `Watch` hands
/// each fact to the `CorrelationEngine`, which owns every incident's state and reports the
/// resulting `IncidentTransition` (`CorrelationEngine.record(_:now:)`).
public struct DispatchFact: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `unit` was asked to go with request `requestID`: the first request, or the next one
        /// after a decline, a timeout, a withdrawal, a pre-emption or a rise in priority.
        case dispatched(unit: UnitID, requestID: String)
        /// `unit` took the incident: it accepted, or its first answer was en route, arrived or
        /// cleared (also late, after its request timed out).
        case acknowledged(unit: UnitID)
        /// `unit`, which holds the incident, is on its way; the state does not change.
        case enRoute(unit: UnitID)
        /// `unit` arrived.
        case onSite(unit: UnitID)
        /// `unit` cleared the incident with `outcome`.
        case cleared(unit: UnitID, outcome: IncidentOutcome?)
        /// No unit took the incident in time: the central or the on-call contact was told
        /// (or nobody could be), or the central confirmed receipt.
        case escalated
    }

    public var incident: IncidentID
    public var kind: Kind
    /// Why, in words, with what only dispatch knows (request id, ETA, delay to the route,
    /// response time); it becomes the transition's `cause`.
    public var cause: String
    /// The incident's dispatch times so far; they become the transition's `times`.
    public var times: IncidentTimes

    public init(incident: IncidentID, kind: Kind, cause: String, times: IncidentTimes) {
        self.incident = incident
        self.kind = kind
        self.cause = cause
        self.times = times
    }

    /// The lifecycle event it is, or nil when it leaves the state as it is (`enRoute`).
    public var event: IncidentLifecycle.Event? {
        switch kind {
        case .dispatched: .dispatch
        case .acknowledged: .acknowledge
        case .enRoute: nil
        case .onSite: .arrive
        case .cleared: .clear
        case .escalated: .escalate
        }
    }
}
