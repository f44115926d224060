/// The versioned MQTT topic scheme. Inbound topics are parsed with `InboundTopic(parsing:)`;
/// outbound topics are built with the static functions.
public enum Topic {
    public static let root = "propertywatch/v1"

    /// The subscriptions that cover every inbound topic.
    public static let subscriptions: [String] = [
        "\(root)/sites/+/alarms/+",
        "\(root)/sites/+/cameras/+",
        "\(root)/sites/+/heartbeats/+",
        "\(root)/units/+/position",
        "\(root)/units/+/checkin",
        "\(root)/units/+/status",
        "\(root)/units/+/replies",
        "frigate/events",
        "frigate/reviews",
    ]

    public static func alarm(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/alarms/\(device)" }
    public static func camera(site: SiteID, camera: DeviceID) -> String { "\(root)/sites/\(site)/cameras/\(camera)" }
    public static func heartbeat(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/heartbeats/\(device)" }
    public static func position(unit: UnitID) -> String { "\(root)/units/\(unit)/position" }
    public static func checkIn(unit: UnitID) -> String { "\(root)/units/\(unit)/checkin" }
    public static func unitStatus(unit: UnitID) -> String { "\(root)/units/\(unit)/status" }
    public static func replies(unit: UnitID) -> String { "\(root)/units/\(unit)/replies" }

    /// Guard requests to one unit.
    public static func guardRequests(unit: UnitID) -> String { "\(root)/units/\(unit)/requests" }
    /// Incident changes, for operators and dashboards.
    public static func incident(_ id: IncidentID) -> String { "\(root)/incidents/\(id)" }
    /// End-to-end acknowledgements to one device.
    public static func acknowledgement(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/acks/\(device)" }
    /// Warnings for operators (late-to-close, missed stops, device offline).
    public static let warnings = "\(root)/warnings"
    /// The daemon's retained status (`online` / `offline`, the latter as last will).
    public static let daemonStatus = "\(root)/daemon/status"
}

/// A parsed inbound topic.
public enum InboundTopic: Sendable, Hashable {
    case alarm(site: SiteID, device: DeviceID)
    case camera(site: SiteID, camera: DeviceID)
    case heartbeat(site: SiteID, device: DeviceID)
    case position(unit: UnitID)
    case checkIn(unit: UnitID)
    case unitStatus(unit: UnitID)
    case reply(unit: UnitID)
    case frigateEvents
    case frigateReviews

    /// Parses `topic`; nil when it is not part of the contract.
    public init?(parsing topic: String) {
        if topic == "frigate/events" { self = .frigateEvents; return }
        if topic == "frigate/reviews" { self = .frigateReviews; return }
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "propertywatch", parts[1] == "v1" else { return nil }
        for part in parts where part.isEmpty { _ = part; return nil }
        switch (parts[2], parts.count) {
        case ("sites", 6):
            let site = SiteID(String(parts[3]))
            let device = DeviceID(String(parts[5]))
            switch parts[4] {
            case "alarms": self = .alarm(site: site, device: device)
            case "cameras": self = .camera(site: site, camera: device)
            case "heartbeats": self = .heartbeat(site: site, device: device)
            default: return nil
            }
        case ("units", 5):
            let unit = UnitID(String(parts[3]))
            switch parts[4] {
            case "position": self = .position(unit: unit)
            case "checkin": self = .checkIn(unit: unit)
            case "status": self = .unitStatus(unit: unit)
            case "replies": self = .reply(unit: unit)
            default: return nil
            }
        default:
            return nil
        }
    }
}
