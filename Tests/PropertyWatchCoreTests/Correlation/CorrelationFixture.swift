@testable import PropertyWatchCore

/// A schedule for tests: open when the closure says so.
struct TestSchedule: ArmSchedule {
    var open: @Sendable (SiteID, Timestamp) -> Bool
    /// How long after closing a partition must be set (the calendar's arm deadline).
    var armGrace = Milliseconds(0)
    func isOpen(site: SiteID, at time: Timestamp) -> Bool { open(site, time) }
    func expectedArmed(site: SiteID, partition: PartitionID, at time: Timestamp) -> Bool {
        !open(site, time) && !open(site, time - armGrace)
    }
    func withArmGrace(_ grace: Milliseconds) -> TestSchedule {
        var copy = self
        copy.armGrace = grace
        return copy
    }
    static let alwaysClosed = TestSchedule { _, _ in false }
    static let alwaysOpen = TestSchedule { _, _ in true }
    /// Open 07:00–18:00 Stockholm time every day.
    static let daytime = TestSchedule { _, time in
        let local = StockholmTime.local(time).time
        return local >= LocalTime(hour: 7) && local < LocalTime(hour: 18)
    }
}

/// Sites and helpers shared by the correlation tests.
enum Fixture {
    /// 2026-11-25 22:00 UTC (23:00 in Stockholm), a Wednesday night.
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_795_644_000_000)

    static let school: SiteID = "school"
    static let brohuset: SiteID = "brohuset"
    static let preschool: SiteID = "preschool"

    static let directory = SiteDirectory(WatchConfiguration(sites: [
        SiteConfiguration(
            id: school, name: "Skolan", kind: .school, address: "Skolvägen 1",
            location: Coordinate(latitude: 59.5, longitude: 17.6),
            devices: [
                DeviceConfiguration(id: "panel", kind: .panel),
                DeviceConfiguration(id: "pir-1", kind: .pir, zone: "corridor"),
                DeviceConfiguration(id: "pir-2", kind: .pir, zone: "gym"),
                DeviceConfiguration(id: "door-1", kind: .door, zone: "entrance"),
                DeviceConfiguration(id: "smoke-1", kind: .smoke, zone: "corridor"),
                DeviceConfiguration(id: "cam-1", kind: .camera, cameraZones: ["corridor"], linkedZones: ["entrance"]),
                DeviceConfiguration(id: "cam-2", kind: .camera, cameraZones: ["yard"]),
            ]),
        SiteConfiguration(
            id: brohuset, name: "Brohuset", kind: .civic, address: "Torget 1",
            location: Coordinate(latitude: 59.5, longitude: 17.6),
            devices: [
                DeviceConfiguration(id: "cam-b", kind: .camera, cameraZones: ["plaza"]),
                DeviceConfiguration(id: "pir-b", kind: .pir, zone: "lobby"),
            ]),
    ]))

    /// A site whose devices are all supervised.
    static let supervised = SiteDirectory(WatchConfiguration(sites: [
        SiteConfiguration(
            id: preschool, name: "Förskolan", kind: .preschool, address: "Lekvägen 2",
            location: Coordinate(latitude: 59.5, longitude: 17.6),
            devices: [
                DeviceConfiguration(id: "hub", kind: .panel, heartbeatSeconds: 60),
                DeviceConfiguration(id: "pir-a", kind: .pir, zone: "hall", heartbeatSeconds: 60),
                DeviceConfiguration(id: "pir-b", kind: .pir, zone: "room", heartbeatSeconds: 120),
            ]),
    ]))

    static func engine(
        _ schedule: TestSchedule = .alwaysClosed, rules: CorrelationRules = CorrelationRules(),
        directory: SiteDirectory = directory
    ) -> CorrelationEngine {
        CorrelationEngine(directory: directory, policy: CorrelationPolicy(defaults: rules), schedule: schedule)
    }

    static func at(_ ms: Int64) -> Timestamp { t0 + Milliseconds(ms) }
    static func sec(_ s: Int64) -> Timestamp { t0 + .seconds(s) }

    static func alarm(
        _ device: DeviceID, _ eventClass: EventClass = .intrusion, seq: UInt64, restore: Bool = false,
        id: String? = nil, zone: ZoneID? = nil, site: SiteID = school, part: UInt8 = 1
    ) -> InboundMessage {
        .alarm(AlarmEvent(
            site: site, device: device, zone: zone, eventClass: eventClass, isRestore: restore, sequence: seq,
            eventID: id ?? "\(device)-\(seq)\(restore ? "r" : "")", deviceTime: t0, part: part))
    }

    static func camera(
        _ camera: DeviceID, _ label: ObjectLabel = .person, id: String, zones: [ZoneID] = [],
        snapshot: String? = "snap.jpg", site: SiteID = school
    ) -> InboundMessage {
        .camera(CameraTrigger(site: site, camera: camera, zones: zones, label: label, score: 0.9, eventID: id, start: t0, snapshot: snapshot))
    }
}

extension [CorrelationAction] {
    /// Everything but decision records: what changes the world.
    var effects: [CorrelationAction] { filter { if case .decision = $0 { false } else { true } } }
    var decisions: [Decision] { compactMap { if case .decision(let d) = $0 { d } else { nil } } }
    var verdicts: [Decision.Verdict] { decisions.map(\.verdict) }
    var dispatched: [Incident] { compactMap { if case .dispatch(let i) = $0 { i } else { nil } } }
    var transitions: [IncidentTransition] { compactMap { if case .transition(let t) = $0 { t } else { nil } } }
    var warningCodes: [String] { compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } } }
    var warnings: [(code: String, message: String)] {
        compactMap { if case .warning(_, let code, let message) = $0 { (code, message) } else { nil } }
    }
}

extension CorrelationEngine {
    /// Records a dispatch fact as `Watch` hands it over from the coordinator (times from `now`).
    mutating func record(_ incident: IncidentID, _ kind: DispatchFact.Kind, cause: String, now: Timestamp) -> [CorrelationAction] {
        record(DispatchFact(incident: incident, kind: kind, cause: cause, times: IncidentTimes(alarm: now)), now: now)
    }

    /// The coordinator asked `unit` to go.
    mutating func dispatched(_ incident: IncidentID, unit: UnitID = "P1", now: Timestamp) -> [CorrelationAction] {
        record(incident, .dispatched(unit: unit, requestID: "\(incident)-1"), cause: "requested \(unit)", now: now)
    }
}
