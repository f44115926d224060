/// The incident state machine: which lifecycle events are allowed in which state. The
/// correlation engine applies it to its own events (an operator's close, a rule's) and to the
/// dispatch coordinator's `DispatchFact`s.
///
/// `new → dispatched → acknowledged → on-site → cleared`, with `escalated` reachable from any
/// active state and `closed` (by an operator) from any active state. `cleared`, `closed` and
/// `attributed` are terminal. Priority changes keep the state and are not lifecycle events.
public enum IncidentLifecycle {
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// A unit was asked to go (again, after a decline or an escalation).
        case dispatch
        /// A unit took it: it accepted, or answered en route or arrived first.
        case acknowledge
        /// The unit arrived.
        case arrive
        /// The unit cleared the incident with an outcome.
        case clear
        /// Nobody took it in time; escalated to the central or on-call.
        case escalate
        /// An operator closed it.
        case close
    }

    /// The state after `event` in `state`, or nil when the transition is refused.
    public static func next(from state: IncidentState, on event: Event) -> IncidentState? {
        switch (state, event) {
        case (.new, .dispatch), (.dispatched, .dispatch), (.escalated, .dispatch): .dispatched
        // Asked again: its unit withdrew, or was taken by a higher-priority incident.
        case (.acknowledged, .dispatch), (.onSite, .dispatch): .dispatched
        case (.dispatched, .acknowledge), (.escalated, .acknowledge): .acknowledged
        // Another unit took it late (after its request timed out) once the unit that had it
        // withdrew or was taken off it.
        case (.acknowledged, .acknowledge), (.onSite, .acknowledge): .acknowledged
        case (.dispatched, .arrive), (.acknowledged, .arrive), (.escalated, .arrive): .onSite
        case (.dispatched, .clear), (.acknowledged, .clear), (.onSite, .clear), (.escalated, .clear): .cleared
        case (.new, .escalate), (.dispatched, .escalate), (.acknowledged, .escalate), (.onSite, .escalate),
            (.escalated, .escalate):
            .escalated
        case (.new, .close), (.dispatched, .close), (.acknowledged, .close), (.onSite, .close),
            (.escalated, .close):
            .closed
        default: nil
        }
    }

    /// Whether nothing more can happen to an incident in `state`.
    public static func isTerminal(_ state: IncidentState) -> Bool {
        state == .cleared || state == .closed || state == .attributed
    }

    /// Whether a unit has been asked to go and not yet arrived (so a close must cancel it).
    public static func hasGuardUnderway(_ state: IncidentState) -> Bool {
        state == .dispatched || state == .acknowledged || state == .escalated
    }
}
