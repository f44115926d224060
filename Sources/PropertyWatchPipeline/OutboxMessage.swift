import PropertyWatchCore

/// A `WatchAction` as an outbox row: a deterministic key (so re-deriving the same action
/// after a restart is recognised and not sent again), a kind, and what to publish.
struct OutboxMessage {
    var key: String
    var kind: Kind
    var topic: String
    var payload: [UInt8]

    enum Kind: String {
        case transition, guardRequest = "guard-request", requestUpdate = "request-update", plan, central, onCall = "on-call", warning

        /// Incident updates and plans are retained, so a dashboard (or a car) that connects
        /// sees each incident's state and each unit's plan.
        var retained: Bool { self == .transition || self == .plan }
    }

    /// The escalation to deliver, for a central row.
    var centralEscalation: CentralEscalation?

    init(key: String, kind: Kind, topic: String, payload: [UInt8]) {
        self.key = key
        self.kind = kind
        self.topic = topic
        self.payload = payload
    }

    /// The row for a published action; nil for decision records, which are journaled only.
    init?(_ action: WatchAction, now: Timestamp) {
        switch action {
        case .decision, .fetchMissedVideo:
            return nil
        case .transition(let t):
            self.init(
                // The incident's own transition counter: two transitions in one millisecond
                // are two rows, and the key does not depend on when the commit happened.
                key: "transition:\(t.incident):\(t.sequence)",
                kind: .transition, topic: Topic.incident(t.incident), payload: MessageEncoder.incidentTransition(t))
        case .requestGuard(let r):
            self.init(key: "request:\(r.requestID)", kind: .guardRequest, topic: Topic.guardRequests(unit: r.unit), payload: MessageEncoder.guardRequest(r))
        case .updateRequest(let r):
            self.init(
                key: "request:\(r.requestID):\(r.revision)", kind: .requestUpdate, topic: Topic.guardRequests(unit: r.unit),
                payload: MessageEncoder.guardRequest(r))
        case .publishPlan(let p):
            self.init(
                key: "plan:\(p.unit):\(p.night):\(p.version)", kind: .plan, topic: Topic.unitPlan(unit: p.unit),
                payload: MessageEncoder.unitPlan(p))
        case .notifyCentral(let incident, let key, let summary):
            self.init(
                // One row per attempt (retries repeat the action); the central deduplicates by
                // the idempotency key in the body.
                key: "central:\(key):\(now.millisecondsSinceEpoch)", kind: .central, topic: Topic.escalations("central"),
                payload: MessageEncoder.escalation(incident: incident, target: "central", idempotencyKey: key, contact: nil, summary: summary, time: now))
            centralEscalation = CentralEscalation(incident: incident, idempotencyKey: key, body: payload)
        case .notifyOnCall(let incident, let contact, let summary):
            self.init(
                key: "on-call:\(incident):\(contact)", kind: .onCall, topic: Topic.escalations("on-call"),
                payload: MessageEncoder.escalation(incident: incident, target: "on-call", idempotencyKey: "\(incident)-on-call", contact: contact, summary: summary, time: now))
        case .warning(let site, let code, let message):
            self.init(
                key: "warning:\(site?.rawValue ?? "-"):\(code):\(now.millisecondsSinceEpoch):\(message.hashValueStable)",
                kind: .warning, topic: Topic.warnings, payload: MessageEncoder.warning(site: site, code: code, message: message, time: now))
        }
    }
}

extension String {
    /// FNV-1a over the UTF-8 bytes: stable across runs (unlike `hashValue`), for outbox keys.
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
