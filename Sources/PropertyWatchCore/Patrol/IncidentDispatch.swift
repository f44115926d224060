/// Where the search for a guard stands for one incident.
struct IncidentDispatch: Sendable {
    /// How far the assigned unit has got; only moves forward, so repeated replies do nothing.
    enum Progress: Int, Sendable, Comparable, Codable {
        case accepted = 1, enRoute, onSite, cleared
        static func < (a: Progress, b: Progress) -> Bool { a.rawValue < b.rawValue }
    }

    /// A request sent and not yet answered.
    struct Pending: Sendable, Hashable, Codable {
        var unit: UnitID
        var requestID: String
        var issuedAt: Timestamp
        var deadline: Timestamp
    }

    /// The guard company central's webhook, attempt by attempt.
    struct Central: Sendable, Hashable, Codable {
        var attempts = 1
        var inFlight = true
        var nextRetry: Timestamp?
        var delivered = false
        var gaveUp = false
    }

    /// The incident as dispatch knows it (its state is the engine's: see `DispatchFact`).
    var incident: Incident
    var attempts = 0
    /// Every unit asked so far, with its request id; none of them is asked again.
    var asked: [UnitID: String] = [:]
    var pending: Pending?
    var assigned: UnitID?
    /// The request as last sent to the unit that holds it (pending or assigned), for updates.
    var sent: GuardRequest?
    var progress: Progress?
    var times: IncidentTimes
    var central: Central?
    /// When the on-call contact is told if no unit has taken the incident (`centralTimeout`).
    var onCallDue: Timestamp?
    var onCallNotified = false
    var escalated = false
    /// The directed check added instead of a request (`EscalationChain.checkInstead`).
    var check: (unit: UnitID, stop: String)?
    /// Waiting for a unit to become free (its unit was taken by a higher-priority incident).
    var queued = false
    /// Units already told to stand down (told once each).
    var stoodDown: Set<UnitID> = []
    var endedAt: Timestamp?

    init(incident: Incident) {
        self.incident = incident
        self.times = IncidentTimes(alarm: incident.openedAt)
    }

    var ended: Bool { endedAt != nil }
    var idempotencyKey: String { "\(incident.id)-central" }
}

/// What the coordinator knows about one unit.
struct UnitTrack: Sendable, Codable {
    /// Entry into a site's geofence, and whether the stay was already credited to a stop.
    struct Geofence: Sendable, Hashable, Codable {
        var site: SiteID
        var since: Timestamp
        var credited = false
    }

    var reported: UnitState?
    var position: Coordinate?
    var positionTime: Timestamp?
    var atSite: SiteID?
    var geofence: Geofence?
    /// The incident it was asked to take or has accepted.
    var incident: IncidentID?
}
