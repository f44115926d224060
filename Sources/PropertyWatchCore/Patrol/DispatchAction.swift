/// What the dispatch coordinator asks for, in the order it happened: the outside world's
/// part (the `WatchAction`s it decides: requests, plans, notifications, warnings) and the
/// dispatch facts whose lifecycle transitions the correlation engine reports.
///
/// It has no `transition`: an incident's state has one owner, the engine.
public enum DispatchAction: Sendable, Hashable {
    /// See `WatchAction.requestGuard`.
    case requestGuard(GuardRequest)
    /// See `WatchAction.updateRequest`.
    case updateRequest(GuardRequest)
    /// See `WatchAction.publishPlan`.
    case publishPlan(UnitPlan)
    /// See `WatchAction.notifyCentral`.
    case notifyCentral(incident: IncidentID, idempotencyKey: String, summary: String)
    /// See `WatchAction.notifyOnCall`.
    case notifyOnCall(incident: IncidentID, contact: String, summary: String)
    /// See `WatchAction.warning`.
    case warning(site: SiteID?, code: String, message: String)
    /// A move in an incident's lifecycle, for the engine to record.
    case fact(DispatchFact)

    /// The `WatchAction` it is, or nil for a fact (the engine reports its transition).
    public var watchAction: WatchAction? {
        switch self {
        case .requestGuard(let r): .requestGuard(r)
        case .updateRequest(let r): .updateRequest(r)
        case .publishPlan(let p): .publishPlan(p)
        case .notifyCentral(let incident, let key, let summary): .notifyCentral(incident: incident, idempotencyKey: key, summary: summary)
        case .notifyOnCall(let incident, let contact, let summary): .notifyOnCall(incident: incident, contact: contact, summary: summary)
        case .warning(let site, let code, let message): .warning(site: site, code: code, message: message)
        case .fact: nil
        }
    }
}
