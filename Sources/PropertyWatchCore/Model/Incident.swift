/// How urgent an incident is; higher raw values win (fire > hold-up > verified intrusion >
/// camera vandalism > unverified intrusion > tamper > trouble).
public enum IncidentPriority: Int, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case trouble = 1
    case tamper = 2
    case unverifiedIntrusion = 3
    case vandalism = 4
    case verifiedIntrusion = 5
    case holdUp = 6
    case fire = 7

    public static func < (lhs: IncidentPriority, rhs: IncidentPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var name: String {
        switch self {
        case .trouble: "trouble"
        case .tamper: "tamper"
        case .unverifiedIntrusion: "unverified-intrusion"
        case .vandalism: "vandalism"
        case .verifiedIntrusion: "verified-intrusion"
        case .holdUp: "hold-up"
        case .fire: "fire"
        }
    }
}

/// Where an incident is in its life.
public enum IncidentState: String, Sendable, Hashable, CaseIterable, Codable {
    case new
    case dispatched
    case acknowledged
    case onSite = "on-site"
    case escalated
    case cleared
    case closed
    /// Recorded only: e.g. a guard's own entry, or an event during a silence.
    case attributed
}

/// How an incident was verified, if at all.
public enum Verification: String, Sendable, Hashable, Codable {
    case none
    case sequential
    case video
}

/// An incident as the core sees it.
public struct Incident: Sendable, Hashable, Codable {
    public var id: IncidentID
    public var site: SiteID
    /// What it is about; its priority comes from the rules for this kind.
    public var kind: IncidentKind
    public var priority: IncidentPriority
    public var state: IncidentState
    public var verification: Verification
    public var zones: [ZoneID]
    /// What triggered it, in order: short descriptions such as `intrusion pir-12 (zone corridor)`.
    public var triggers: [String]
    public var snapshot: String?
    /// The video system's ids of the camera events that contributed (Frigate event ids), in
    /// order, at most `Incident.maxCameraEvents`.
    public var cameraEvents: [String] = []
    public var openedAt: Timestamp
    public var outcome: IncidentOutcome?

    /// Camera event ids kept per incident.
    public static let maxCameraEvents = 16

    public init(
        id: IncidentID, site: SiteID, kind: IncidentKind? = nil, priority: IncidentPriority, state: IncidentState = .new,
        verification: Verification = .none, zones: [ZoneID] = [], triggers: [String] = [],
        snapshot: String? = nil, openedAt: Timestamp, outcome: IncidentOutcome? = nil
    ) {
        self.id = id
        self.site = site
        self.kind = kind ?? IncidentKind.forPriority(priority)
        self.priority = priority
        self.state = state
        self.verification = verification
        self.zones = zones
        self.triggers = triggers
        self.snapshot = snapshot
        self.openedAt = openedAt
        self.outcome = outcome
    }
}
