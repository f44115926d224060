import Hummingbird
import PropertyWatchPipeline
import PropertyWatchReport

/// An incident row as the API returns it; times are milliseconds since the epoch.
public struct IncidentRecord: Codable, Sendable, Equatable, ResponseEncodable {
    public var id: String
    public var site: String
    public var state: String
    public var priority: String
    public var openedAt: Int64
    public var updatedAt: Int64
    public var lastCause: String
    /// What it is about (`unverified-intrusion`, `late-to-close`, …); nil for incidents journaled before kinds.
    public var kind: String?
    /// The times that matter, once a unit has been asked; absent before.
    public var times: IncidentTimesRecord? = nil
}

/// Alarm, verification, request, accept, en route, on site and cleared (epoch milliseconds),
/// response time (alarm or verification to on site) and handling time (on site to cleared),
/// in milliseconds; each absent until known.
public struct IncidentTimesRecord: Codable, Sendable, Equatable {
    public var alarm: Int64?
    public var verified: Int64?
    public var requested: Int64?
    public var accepted: Int64?
    public var enRoute: Int64?
    public var onSite: Int64?
    public var cleared: Int64?
    public var responseTime: Int64?
    public var handlingTime: Int64?
}

/// Why an event did or did not become an incident: the rule, its inputs and its verdict.
public struct DecisionRecord: Codable, Sendable, Equatable {
    public var time: Int64
    public var site: String
    public var device: String?
    public var zone: String?
    public var partition: String?
    public var user: String?
    public var input: String
    public var verdict: String
    public var rule: String
    public var reason: String
    public var incident: String?
    /// For an event its device buffered and sent late: its own time (`time` is when it arrived)
    /// and `late: true`; both absent for live events.
    public var eventTime: Int64?
    public var late: Bool?
}

/// `GET /api/decisions`.
public struct DecisionList: Codable, Sendable, Equatable, ResponseEncodable {
    public var decisions: [DecisionRecord]
}

/// One change of an incident's state.
public struct TransitionRecord: Codable, Sendable, Equatable {
    public var from: String?
    public var to: String
    public var priority: String
    public var cause: String
    public var time: Int64
}

/// `GET /api/incidents/{id}`.
public struct IncidentDetail: Codable, Sendable, Equatable, ResponseEncodable {
    public var incident: IncidentRecord
    public var transitions: [TransitionRecord]
    /// The decisions that opened, joined or were attributed to it, oldest first.
    public var decisions: [DecisionRecord]
    /// Every input and decision about the incident, with the site's name.
    public var timeline: IncidentTimeline?
}

/// `GET /api/incidents`.
public struct IncidentList: Codable, Sendable, Equatable, ResponseEncodable {
    public var incidents: [IncidentRecord]
}

/// `GET /api/plan`: each unit's plan for tonight as last published on its plan topic.
public struct PlanList: Codable, Sendable, Equatable, ResponseEncodable {
    public var plans: [UnitPlanRecord]
}

/// One unit's plan (the payload of `propertywatch/v1/units/{unit}/plan`).
public struct UnitPlanRecord: Codable, Sendable, Equatable {
    public var unit: String
    public var night: String
    public var version: Int
    public var reason: String
    public var stops: [PlanStopRecord]
    public var time: Int64
}

/// A stop of a plan: window and visit in epoch milliseconds, dwell in milliseconds.
public struct PlanStopRecord: Codable, Sendable, Equatable {
    public struct Directed: Codable, Sendable, Equatable {
        public var by: String
        public var reason: String
    }

    public var id: String
    public var site: String
    public var siteName: String?
    public var from: Int64
    public var to: Int64
    public var dwell: Int64
    public var status: String
    public var visitedAt: Int64?
    public var directed: Directed?
    public var revisitOf: String?
}

/// A message that was rejected, without its payload.
public struct DeadLetterRecord: Codable, Sendable, Equatable {
    public var receivedAt: Int64
    public var topic: String
    public var reason: String
    public var detail: String
    public var payloadSize: Int
}

/// `GET /api/dead-letters`.
public struct DeadLetterList: Codable, Sendable, Equatable, ResponseEncodable {
    public var deadLetters: [DeadLetterRecord]
}

/// `GET /health`.
public struct HealthReport: Codable, Sendable, Equatable, ResponseEncodable {
    public var status: String
    public var broker: String
    public var journal: String
    /// While journal commits fail: the last error.
    public var journalError: String?
    /// While journal commits fail: messages received but not yet committed.
    public var heldMessages: Int?
    /// In an active/standby pair: this daemon's role, lease and peer.
    public var ha: HAStatus?

    public init(status: String, broker: String, journal: String, journalError: String? = nil, heldMessages: Int? = nil) {
        self.status = status
        self.broker = broker
        self.journal = journal
        self.journalError = journalError
        self.heldMessages = heldMessages
    }
}

/// `GET /api/status`: the counters of `/metrics` as JSON, for the dashboard.
public struct StatusReport: Codable, Sendable, Equatable, ResponseEncodable {
    public var broker: String
    public var journal: String
    public var received: Int
    public var accepted: Int
    public var ignored: Int
    public var rejected: [String: Int]
    public var guardRequests: Int
    public var batches: Int
    public var published: Int
    public var lastCommitMicroseconds: Int
    public var inboxStalls: Int
    /// In an active/standby pair: this daemon's role, lease and peer.
    public var ha: HAStatus? = nil
}

/// The answer to a command: it is queued and will be journaled and applied in order.
public struct CommandAccepted: Codable, Sendable, Equatable, ResponseEncodable {
    public var status = "accepted"
}

/// `POST /api/silences`. Times are milliseconds since the epoch; give `until` or `minutes`.
/// `author` is only read when the API runs without a users file; otherwise the
/// authenticated operator is the author.
public struct SilenceRequest: Codable, Sendable {
    public var site: String
    public var device: String?
    public var zone: String?
    public var from: Int64?
    public var until: Int64?
    public var minutes: Int?
    public var author: String?
    public var reason: String
}

/// `POST /api/incidents/{id}/close`. `outcome`: false-alarm, vandalism, intrusion, fire,
/// technical-fault.
public struct CloseRequest: Codable, Sendable {
    public var author: String?
    public var reason: String
    public var outcome: String?
}

/// `POST /api/incidents/{id}/acknowledge`.
public struct AcknowledgeRequest: Codable, Sendable {
    public var author: String?
}

/// `POST /api/incidents/{id}/notes`.
public struct NoteRequest: Codable, Sendable {
    public var author: String?
    public var text: String
}

/// `POST /api/directed-checks`.
public struct DirectedCheckRequest: Codable, Sendable {
    public var site: String
    public var notBefore: Int64?
    public var author: String?
    public var reason: String
}

/// `GET /api/purges`: what retention removed (and which stale incidents it closed), newest first.
public struct PurgeList: Codable, Sendable, Equatable, ResponseEncodable {
    public var purges: [PurgeRecord]
}
/// `POST /api/session`: a name and password, or a token.
public struct LoginRequest: Codable, Sendable {
    public var name: String?
    public var password: String?
    public var token: String?
}

/// `GET /api/whoami` and the answer to a login.
public struct WhoAmI: Codable, Sendable, Equatable, ResponseEncodable {
    public var name: String
    public var role: String
    public var method: String
}

/// `GET /api/audit`: every operator command, with who gave it.
public struct AuditList: Codable, Sendable, Equatable, ResponseEncodable {
    public var actions: [NightRecords.OperatorAction]
}

extension Board: ResponseEncodable {}
extension IncidentTimeline: ResponseEncodable {}
