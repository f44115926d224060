/// A device saying it is alive.
public struct Heartbeat: Sendable, Hashable {
    public var site: SiteID
    public var device: DeviceID
    public var deviceTime: Timestamp
    /// The directory's number for (site, device), set by the decoder (see `DeviceSlot`).
    public var slot: DeviceSlot

    public init(site: SiteID, device: DeviceID, deviceTime: Timestamp, slot: DeviceSlot = .unresolved) {
        self.slot = slot
        self.site = site
        self.device = device
        self.deviceTime = deviceTime
    }
}

/// A latitude/longitude pair in WGS 84 degrees.
public struct Coordinate: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Where a patrol unit is.
public struct UnitPosition: Sendable, Hashable {
    public var unit: UnitID
    public var position: Coordinate
    /// Metres per second.
    public var speed: Double
    public var time: Timestamp

    public init(unit: UnitID, position: Coordinate, speed: Double, time: Timestamp) {
        self.unit = unit
        self.position = position
        self.speed = speed
        self.time = time
    }
}

/// A patrol unit checking in at a site.
public struct CheckIn: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable, Codable {
        case tag, geofence
    }

    public var unit: UnitID
    public var site: SiteID
    public var method: Method
    /// `false` when the unit leaves (checks out).
    public var present: Bool
    public var time: Timestamp

    public init(unit: UnitID, site: SiteID, method: Method, present: Bool = true, time: Timestamp) {
        self.unit = unit
        self.site = site
        self.method = method
        self.present = present
        self.time = time
    }
}

/// The state a patrol unit reports for itself.
public enum UnitState: String, Sendable, Hashable, CaseIterable, Codable {
    case available
    case enRoute = "en-route"
    case onSite = "on-site"
    case offDuty = "off-duty"
}

public struct UnitStatusReport: Sendable, Hashable {
    public var unit: UnitID
    public var state: UnitState
    public var time: Timestamp

    public init(unit: UnitID, state: UnitState, time: Timestamp) {
        self.unit = unit
        self.state = state
        self.time = time
    }
}

/// How an incident ended, as reported by the guard or an operator.
public enum IncidentOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    case falseAlarm = "false-alarm"
    case vandalism
    case intrusion
    case fire
    case technicalFault = "technical-fault"
}

/// A patrol unit's answer to a guard request.
public struct GuardReply: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case accepted, declined, enRoute = "en-route", arrived, cleared
    }

    public var unit: UnitID
    public var incident: IncidentID
    /// The guard request answered (`GuardRequest.requestID`), when the unit names it.
    public var request: String?
    public var kind: Kind
    public var outcome: IncidentOutcome?
    public var note: String?
    public var time: Timestamp

    public init(
        unit: UnitID, incident: IncidentID, request: String? = nil, kind: Kind,
        outcome: IncidentOutcome? = nil, note: String? = nil, time: Timestamp
    ) {
        self.unit = unit
        self.incident = incident
        self.request = request
        self.kind = kind
        self.outcome = outcome
        self.note = note
        self.time = time
    }
}
