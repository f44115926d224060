import PropertyWatchCore

/// What the journal holds about one night, as plain values: the input of the nightly report
/// and the dashboard's board, which are pure functions of it. Times are milliseconds since
/// the epoch.
public struct NightRecords: Sendable, Codable, Equatable {
    public var transitions: [Transition] = []
    public var guardRequests: [GuardRequestSent] = []
    public var escalations: [Escalation] = []
    public var warnings: [Warning] = []
    public var operatorActions: [OperatorAction] = []
    public var unitMessages: [UnitMessage] = []
    /// Rejected messages by reason (the dead letters of the night).
    public var rejected: [String: Int] = [:]
    /// Alarm and camera inputs, for incident timelines (loaded only for those).
    public var inputs: [Input] = []
    /// The latest set/unset of each partition (from the engine's opening/closing decisions),
    /// whenever it was; `partition` nil means all of the site's partitions.
    public var armChanges: [ArmChange] = []

    /// A partition set or unset, and by whom.
    public struct ArmChange: Sendable, Codable, Equatable {
        public var site: String
        public var partition: String?
        public var set: Bool
        public var user: String?
        public var time: Int64

        public init(site: String, partition: String?, set: Bool, user: String?, time: Int64) {
            self.site = site
            self.partition = partition
            self.set = set
            self.user = user
            self.time = time
        }
    }

    public init() {}

    /// One change of an incident's state.
    public struct Transition: Sendable, Codable, Equatable {
        public var incident: String
        public var site: String
        public var from: String?
        public var to: String
        public var priority: String
        public var cause: String
        public var time: Int64

        public init(incident: String, site: String, from: String?, to: String, priority: String, cause: String, time: Int64) {
            self.incident = incident
            self.site = site
            self.from = from
            self.to = to
            self.priority = priority
            self.cause = cause
            self.time = time
        }
    }

    /// A guard request the daemon sent.
    public struct GuardRequestSent: Sendable, Codable, Equatable {
        public var incident: String
        public var unit: String
        public var site: String
        public var priority: String
        public var verification: String
        public var triggers: [String]
        public var attempt: Int
        public var time: Int64

        public init(
            incident: String, unit: String, site: String, priority: String, verification: String,
            triggers: [String], attempt: Int, time: Int64
        ) {
            self.incident = incident
            self.unit = unit
            self.site = site
            self.priority = priority
            self.verification = verification
            self.triggers = triggers
            self.attempt = attempt
            self.time = time
        }
    }

    /// An escalation to the central or the on-call contact.
    public struct Escalation: Sendable, Codable, Equatable {
        public var incident: String
        public var target: String
        public var time: Int64

        public init(incident: String, target: String, time: Int64) {
            self.incident = incident
            self.target = target
            self.time = time
        }
    }

    /// An operator warning (missed stop, device offline, …).
    public struct Warning: Sendable, Codable, Equatable {
        public var site: String?
        public var code: String
        public var message: String
        public var time: Int64

        public init(site: String?, code: String, message: String, time: Int64) {
            self.site = site
            self.code = code
            self.message = message
            self.time = time
        }
    }

    /// A journaled operator command, with who gave it.
    public struct OperatorAction: Sendable, Codable, Equatable {
        /// `acknowledge`, `note`, `close`, `silence`, `directed-check`, `central-delivery`.
        public var action: String
        public var author: String
        public var incident: String?
        public var site: String?
        /// The reason, note text, outcome or silence window, in words.
        public var detail: String
        public var time: Int64

        public init(action: String, author: String, incident: String?, site: String?, detail: String, time: Int64) {
            self.action = action
            self.author = author
            self.incident = incident
            self.site = site
            self.detail = detail
            self.time = time
        }
    }

    /// An alarm event or camera trigger as received.
    public struct Input: Sendable, Codable, Equatable {
        public var site: String
        public var device: String
        /// What it said, e.g. `fire`, `intrusion restore`, `person in zone entre`.
        public var text: String
        public var time: Int64

        public init(site: String, device: String, text: String, time: Int64) {
            self.site = site
            self.device = device
            self.text = text
            self.time = time
        }
    }

    /// A message from a patrol unit.
    public struct UnitMessage: Sendable, Codable, Equatable {
        /// `position`, `status`, `checkin` or `reply`.
        public var kind: String
        public var unit: String
        public var site: String?
        public var latitude: Double?
        public var longitude: Double?
        /// The unit's state (status) or the reply's kind (accepted, arrived, cleared, …).
        public var state: String?
        public var incident: String?
        public var time: Int64

        public init(
            kind: String, unit: String, site: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
            state: String? = nil, incident: String? = nil, time: Int64
        ) {
            self.kind = kind
            self.unit = unit
            self.site = site
            self.latitude = latitude
            self.longitude = longitude
            self.state = state
            self.incident = incident
            self.time = time
        }
    }
}
