import Foundation
import PropertyWatchCore

/// An input that does not come from the broker: an operator's command, or the result of a
/// webhook call. It is journaled like any message and replayed in order, so the core stays
/// deterministic.
public enum OperatorInput: Sendable, Hashable, Codable {
    /// Silence a site (or one device or zone of it) until `until`.
    case silence(site: SiteID, device: DeviceID?, zone: ZoneID?, from: Timestamp, until: Timestamp, author: String, reason: String)
    /// Close an incident.
    case close(incident: IncidentID, author: String, reason: String)
    /// Add an extra check of a site to tonight's plan.
    case directedCheck(site: SiteID, notBefore: Timestamp?, author: String, reason: String)
    /// The outcome of one attempt to deliver an escalation to the guard company's central.
    case centralDelivery(incident: IncidentID, idempotencyKey: String, succeeded: Bool)

    /// The journal topic it is stored under.
    static let topic = "\(Topic.root)/internal/operator"

    func apply(to watch: inout Watch, now: Timestamp) -> [WatchAction] {
        switch self {
        case .silence(let site, let device, let zone, let from, let until, let author, let reason):
            watch.silence(Silence(site: site, device: device, zone: zone, from: from, until: until, author: author, reason: reason), now: now)
        case .close(let incident, let author, let reason):
            watch.close(incident: incident, by: author, reason: reason, now: now)
        case .directedCheck(let site, let notBefore, let author, let reason):
            watch.directCheck(site: site, notBefore: notBefore, by: author, reason: reason, now: now)
        case .centralDelivery(let incident, let key, let succeeded):
            watch.centralDelivery(incident: incident, idempotencyKey: key, succeeded: succeeded, now: now)
        }
    }
}

extension OperatorInput {
    func encoded() -> [UInt8] {
        (try? Array(JSONEncoder().encode(self))) ?? []
    }

    static func decode(_ payload: [UInt8]) -> OperatorInput? {
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
