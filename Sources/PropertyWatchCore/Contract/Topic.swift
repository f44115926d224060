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
        "frigate/available",
        "frigate/stats",
    ]

    /// Frigate's events fetched over its HTTP API after an outage. Never subscribed to: the
    /// daemon's backfill journals them itself, through the same decoder (`Pipeline.submit(topic:payload:)`).
    public static let frigateBackfill = "frigate/backfill"

    public static func alarm(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/alarms/\(device)" }
    public static func camera(site: SiteID, camera: DeviceID) -> String { "\(root)/sites/\(site)/cameras/\(camera)" }
    public static func heartbeat(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/heartbeats/\(device)" }
    public static func position(unit: UnitID) -> String { "\(root)/units/\(unit)/position" }
    public static func checkIn(unit: UnitID) -> String { "\(root)/units/\(unit)/checkin" }
    public static func unitStatus(unit: UnitID) -> String { "\(root)/units/\(unit)/status" }
    public static func replies(unit: UnitID) -> String { "\(root)/units/\(unit)/replies" }

    /// Guard requests to one unit.
    public static func guardRequests(unit: UnitID) -> String { "\(root)/units/\(unit)/requests" }
    /// One unit's plan for tonight (retained).
    public static func unitPlan(unit: UnitID) -> String { "\(root)/units/\(unit)/plan" }
    /// Incident changes, for operators and dashboards.
    public static func incident(_ id: IncidentID) -> String { "\(root)/incidents/\(id)" }
    /// End-to-end acknowledgements to one device.
    public static func acknowledgement(site: SiteID, device: DeviceID) -> String { "\(root)/sites/\(site)/acks/\(device)" }
    /// Escalations to `central` (the guard company) or `on-call`.
    public static func escalations(_ target: String) -> String { "\(root)/escalations/\(target)" }
    /// The scenario runner's virtual clock (honoured only with `--virtual-clock`).
    public static let simulatedClock = "\(root)/sim/clock"
    /// Published by the daemon after everything up to a virtual clock message is processed.
    public static let simulatedClockAcknowledgement = "\(root)/sim/clock/ack"
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
    /// `frigate/available`: `online` / `offline`, plain text, retained.
    case frigateAvailable
    /// `frigate/stats`: Frigate's periodic statistics; only `cameras.*.camera_fps` is read.
    case frigateStats
    /// `frigate/backfill`: one event of Frigate's `GET /api/events`, journaled by the backfill.
    case frigateBackfill

    /// Parses `topic`; nil when it is not part of the contract. One pass over the bytes;
    /// the identifiers are the only strings created.
    public init?(parsing topic: String) {
        var topic = topic
        guard let parsed = topic.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) -> InboundTopic? {
        if equal(bytes, "frigate/events") { return .frigateEvents }
        if equal(bytes, "frigate/reviews") { return .frigateReviews }
        if equal(bytes, "frigate/available") { return .frigateAvailable }
        if equal(bytes, "frigate/stats") { return .frigateStats }
        if equal(bytes, "frigate/backfill") { return .frigateBackfill }
        // Segments: propertywatch / v1 / (sites|units) / id / kind [/ id]; none may be empty.
        var ranges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
        var count = 0
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
            guard i > start, count < 6 else { return nil }
            switch count {
            case 0: ranges.0 = start..<i
            case 1: ranges.1 = start..<i
            case 2: ranges.2 = start..<i
            case 3: ranges.3 = start..<i
            case 4: ranges.4 = start..<i
            default: ranges.5 = start..<i
            }
            count += 1
            start = i + 1
        }
        func segment(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[r]) }
        func string(_ r: Range<Int>) -> String { String(decoding: segment(r), as: UTF8.self) }
        guard count >= 5, equal(segment(ranges.0), "propertywatch"), equal(segment(ranges.1), "v1") else { return nil }
        let kind = segment(ranges.4)
        if count == 6, equal(segment(ranges.2), "sites") {
            if equal(kind, "alarms") { return .alarm(site: SiteID(string(ranges.3)), device: DeviceID(string(ranges.5))) }
            if equal(kind, "cameras") { return .camera(site: SiteID(string(ranges.3)), camera: DeviceID(string(ranges.5))) }
            if equal(kind, "heartbeats") { return .heartbeat(site: SiteID(string(ranges.3)), device: DeviceID(string(ranges.5))) }
            return nil
        }
        if count == 5, equal(segment(ranges.2), "units") {
            if equal(kind, "position") { return .position(unit: UnitID(string(ranges.3))) }
            if equal(kind, "checkin") { return .checkIn(unit: UnitID(string(ranges.3))) }
            if equal(kind, "status") { return .unitStatus(unit: UnitID(string(ranges.3))) }
            if equal(kind, "replies") { return .reply(unit: UnitID(string(ranges.3))) }
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        for i in 0..<bytes.count where bytes[i] != text.utf8Start[i] { return false }
        return true
    }
}
