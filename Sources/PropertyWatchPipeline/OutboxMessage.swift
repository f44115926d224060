import PropertyWatchCore

/// A `WatchAction` as an outbox row: a deterministic key (so re-deriving the same action
/// after a restart is recognised and not sent again), a kind, and what to publish.
struct OutboxMessage {
    /// Escalations to the guard company's central (also sent over its webhook).
    static let centralTopic = "\(Topic.root)/escalations/central"
    /// Escalations to the on-call contact.
    static let onCallTopic = "\(Topic.root)/escalations/on-call"

    var key: String
    var kind: String
    var topic: String
    var payload: [UInt8]
    var retain: Bool = false

    init(key: String, kind: String, topic: String, payload: [UInt8], retain: Bool = false) {
        self.key = key
        self.kind = kind
        self.topic = topic
        self.payload = payload
        self.retain = retain
    }

    init(_ action: WatchAction, now: Timestamp) {
        switch action {
        case .transition(let t):
            self.init(
                key: "transition:\(t.incident):\(t.from?.rawValue ?? "-")>\(t.to.rawValue):\(t.time.millisecondsSinceEpoch)",
                kind: "transition", topic: Topic.incident(t.incident), payload: InterimEncoder.incidentUpdate(t), retain: true)
        case .requestGuard(let r):
            self.init(key: "request:\(r.requestID)", kind: "guard-request", topic: Topic.guardRequests(unit: r.unit), payload: InterimEncoder.guardRequest(r))
        case .notifyCentral(let incident, let key, let summary):
            self.init(key: "central:\(key)", kind: "central", topic: OutboxMessage.centralTopic, payload: InterimEncoder.central(incident: incident, idempotencyKey: key, summary: summary, time: now))
        case .notifyOnCall(let incident, let contact, let summary):
            self.init(key: "oncall:\(incident):\(contact)", kind: "on-call", topic: OutboxMessage.onCallTopic, payload: InterimEncoder.onCall(incident: incident, contact: contact, summary: summary, time: now))
        case .warning(let site, let code, let message):
            self.init(key: "warning:\(site?.rawValue ?? "-"):\(code):\(now.millisecondsSinceEpoch)", kind: "warning", topic: Topic.warnings, payload: InterimEncoder.warning(site: site, code: code, message: message, time: now))
        }
    }
}
