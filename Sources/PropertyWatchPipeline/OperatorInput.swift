import Foundation
import PropertyWatchCore

/// An input that does not come from the broker: an operator's command, or the result of a
/// webhook call. It is journaled like any message and replayed in order, so the core stays
/// deterministic.
public enum OperatorInput: Sendable, Hashable, Codable {
    /// Silence a site (or one device or zone of it) until `until`.
    case silence(site: SiteID, device: DeviceID?, zone: ZoneID?, from: Timestamp, until: Timestamp, author: String, reason: String)
    /// Close an incident, with the operator's outcome (absent in journals written before it).
    case close(incident: IncidentID, author: String, reason: String, outcome: IncidentOutcome? = nil)
    /// An operator has seen an incident and takes it on; recorded for the timeline and the
    /// audit, the core's state is unchanged.
    case acknowledge(incident: IncidentID, author: String)
    /// An operator's note on an incident; recorded only.
    case note(incident: IncidentID, author: String, text: String)
    /// Add an extra check of a site to tonight's plan.
    case directedCheck(site: SiteID, notBefore: Timestamp?, author: String, reason: String)
    /// The outcome of one attempt to deliver an escalation to the guard company's central.
    case centralDelivery(incident: IncidentID, idempotencyKey: String, succeeded: Bool)

    /// The journal topic it is stored under.
    public static let topic = "\(Topic.root)/internal/operator"

    /// Who caused it: the operator's name, or `webhook` for a delivery outcome.
    public var author: String {
        switch self {
        case .silence(_, _, _, _, _, let author, _), .close(_, let author, _, _), .directedCheck(_, _, let author, _),
            .acknowledge(_, let author), .note(_, let author, _):
            author
        case .centralDelivery: "webhook"
        }
    }

    func apply(to watch: inout Watch, now: Timestamp) -> [WatchAction] {
        switch self {
        case .silence(let site, let device, let zone, let from, let until, let author, let reason):
            watch.silence(Silence(site: site, device: device, zone: zone, from: from, until: until, author: author, reason: reason), now: now)
        case .close(let incident, let author, let reason, let outcome):
            watch.close(incident: incident, by: author, reason: outcome.map { "\($0.rawValue): \(reason)" } ?? reason, now: now)
        case .acknowledge, .note:
            []
        case .directedCheck(let site, let notBefore, let author, let reason):
            watch.directCheck(site: site, notBefore: notBefore, by: author, reason: reason, now: now)
        case .centralDelivery(let incident, let key, let succeeded):
            watch.centralDelivery(incident: incident, idempotencyKey: key, succeeded: succeeded, now: now)
        }
    }
}

extension OperatorInput {
    /// The journaled JSON form.
    public func encoded() -> [UInt8] {
        (try? Array(JSONEncoder().encode(self))) ?? []
    }

    /// Reads a journaled operator input back; nil if it is not one.
    public static func decode(_ payload: [UInt8]) -> OperatorInput? {
        try? JSONDecoder().decode(OperatorInput.self, from: Data(payload))
    }
}

/// An escalation to the guard company's central, committed and ready to be delivered over
/// its webhook. The receiver must report the outcome with `Pipeline.submit(.centralDelivery…)`.
public struct CentralEscalation: Sendable, Hashable {
    public var incident: IncidentID
    public var idempotencyKey: String
    /// The JSON body to POST (the same document published on the escalations topic).
    public var body: [UInt8]

    public init(incident: IncidentID, idempotencyKey: String, body: [UInt8]) {
        self.incident = incident
        self.idempotencyKey = idempotencyKey
        self.body = body
    }
}
