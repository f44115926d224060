@testable import PropertyWatchCore

/// A school described the way its panel is: two partitions (the school and its let sports
/// hall), numbered zones, users with windows, and a camera whose zones verify two alarm zones.
enum PanelFixture {
    static let t0 = Fixture.t0  // Wednesday 2026-11-25, 23:00 Stockholm
    static let site: SiteID = "skola"

    static func configuration(rules: CorrelationRules = CorrelationRules()) -> WatchConfiguration {
        WatchConfiguration(sites: [
            SiteConfiguration(
                id: site, name: "Skolan", kind: .school, address: "Skolvägen 1",
                location: Coordinate(latitude: 59.5, longitude: 17.6),
                zones: [
                    ZoneConfiguration(id: "entre", name: "Entré", number: 1, detector: .door, restoreCancel: Milliseconds(0)),
                    ZoneConfiguration(id: "korridor", name: "Korridor", number: 2, detector: .pir),
                    ZoneConfiguration(id: "expedition", name: "Expedition", number: 3, detector: .pir, verifiedBy: ["gard"]),
                    ZoneConfiguration(id: "hall", name: "Idrottshall", number: 4, partition: "hall", detector: .pir),
                    ZoneConfiguration(id: "gard", name: "Skolgården"),
                    ZoneConfiguration(id: "parkering", name: "Parkering", cameraAlarm: true),
                ],
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel),
                    DeviceConfiguration(id: "cam", kind: .camera, cameraZones: ["gard", "entre", "parkering"]),
                ],
                partitions: [
                    PartitionConfiguration(id: "skola", name: "Skolan", number: 1),
                    PartitionConfiguration(id: "hall", name: "Idrottshallen", number: 2),
                ],
                users: [
                    UserConfiguration(id: "rektor", number: 1, name: "Rektor", role: .staff),
                    UserConfiguration(
                        id: "stad", number: 20, name: "Städ AB", role: .cleaner,
                        windows: [UserWindow(weekdays: [6], hours: [LocalTimeRange(LocalTime(hour: 6), LocalTime(hour: 10))], partitions: ["skola"])]),
                    UserConfiguration(
                        id: "ibk", number: 30, name: "IBK", role: .letting,
                        windows: [UserWindow(weekdays: [3], hours: [LocalTimeRange(LocalTime(hour: 18), LocalTime(hour: 22))], partitions: ["hall"])]),
                ],
                rules: rules),
        ])
    }

    static func engine(rules: CorrelationRules = CorrelationRules(), schedule: TestSchedule = .alwaysClosed) -> CorrelationEngine {
        let directory = SiteDirectory(configuration(rules: rules))
        return CorrelationEngine(directory: directory, policy: CorrelationPolicy(defaults: rules), schedule: schedule)
    }

    static func panel(
        _ eventClass: EventClass = .intrusion, zone: ZoneID? = nil, partition: PartitionID? = nil, user: UserID? = nil,
        seq: UInt64, restore: Bool = false
    ) -> InboundMessage {
        .alarm(AlarmEvent(
            site: site, device: "panel", zone: zone, eventClass: eventClass, isRestore: restore, sequence: seq,
            eventID: "e\(seq)", deviceTime: t0, partition: partition, user: user))
    }

    static func camera(id: String, zones: [ZoneID]) -> InboundMessage {
        .camera(CameraTrigger(site: site, camera: "cam", zones: zones, label: .person, score: 0.9, eventID: id, start: t0, snapshot: "s.jpg"))
    }

    static func sec(_ s: Int64) -> Timestamp { t0 + .seconds(s) }
}
