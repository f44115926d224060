import Hummingbird

/// An incident row as the API returns it; times are milliseconds since the epoch.
public struct IncidentRecord: Codable, Sendable, Equatable, ResponseEncodable {
    public var id: String
    public var site: String
    public var state: String
    public var priority: String
    public var openedAt: Int64
    public var updatedAt: Int64
    public var lastCause: String
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
}

/// The answer to a command: it is queued and will be journaled and applied in order.
public struct CommandAccepted: Codable, Sendable, Equatable, ResponseEncodable {
    public var status = "accepted"
}

/// `POST /api/silences`. Times are milliseconds since the epoch; give `until` or `minutes`.
public struct SilenceRequest: Codable, Sendable {
    public var site: String
    public var device: String?
    public var zone: String?
    public var from: Int64?
    public var until: Int64?
    public var minutes: Int?
    public var author: String
    public var reason: String
}

/// `POST /api/incidents/{id}/close`.
public struct CloseRequest: Codable, Sendable {
    public var author: String
    public var reason: String
}

/// `POST /api/directed-checks`.
public struct DirectedCheckRequest: Codable, Sendable {
    public var site: String
    public var notBefore: Int64?
    public var author: String
    public var reason: String
}
