@testable import PropertyWatchCore

/// A small directory and helpers shared by the contract tests.
enum ContractFixtures {
    /// 2025-11-25T19:46:40Z.
    static let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)

    static let configuration = WatchConfiguration(
        sites: [
            SiteConfiguration(
                id: "brohuset", name: "Brohuset", kind: .civic, address: "Torget 1, Kungsängen",
                location: Coordinate(latitude: 59.478, longitude: 17.75),
                zones: [
                    ZoneConfiguration(id: "entre", name: "Entré", number: 1),
                    ZoneConfiguration(id: "korridor", name: "Korridor", number: 2),
                    ZoneConfiguration(id: "yard", name: "Gården"),
                    ZoneConfiguration(id: "gym", name: "Gymnastiksal", number: 4, partition: "hall"),
                ],
                devices: [
                    DeviceConfiguration(id: "panel-1", kind: .panel),
                    DeviceConfiguration(id: "pir-12", kind: .pir, zone: "korridor", heartbeatSeconds: 300),
                    DeviceConfiguration(id: "cam-2", kind: .camera, cameraZones: ["entre", "yard"]),
                    DeviceConfiguration(id: "cam-3", kind: .camera, cameraZones: ["gym"]),
                ],
                partitions: [
                    PartitionConfiguration(id: "main", name: "Huset", number: 1),
                    PartitionConfiguration(id: "hall", name: "Gymnastiksalen", number: 2),
                ],
                users: [
                    UserConfiguration(id: "anna", number: 7, name: "Anna", role: .staff),
                    UserConfiguration(id: "stad", number: 20, name: "Städ AB", role: .cleaner),
                ]),
            SiteConfiguration(
                id: "tibble-skola", name: "Tibble skola", kind: .school, address: "Skolvägen 2",
                location: Coordinate(latitude: 59.49, longitude: 17.7)),
        ],
        patrol: PatrolConfiguration(units: [
            UnitConfiguration(id: "P1", callSign: "Patrull 1"),
            UnitConfiguration(id: "P2", callSign: "Patrull 2"),
        ]),
        frigate: FrigateMapping(
            cameras: [
                "front_door": .init(site: "brohuset", device: "cam-2", zones: ["driveway": "entre"]),
                "front_cam": .init(site: "brohuset", device: "cam-3", zones: ["front_yard": "gym"]),
                "ghost_cam": .init(site: "brohuset", device: "cam-99"),
            ],
            labels: ["dog": .other],
            minimumScore: 0.6,
            snapshotBaseURL: "http://frigate.local:5000"))

    static let decoder = MessageDecoder(directory: SiteDirectory(configuration), limits: DecodingLimits())

    static let alarmTopic = "propertywatch/v1/sites/brohuset/alarms/pir-12"

    static func decode(_ topic: String, _ payload: String, at time: Timestamp = now) -> DecodeResult {
        decode(topic, bytes: Array(payload.utf8), at: time)
    }

    static func decode(_ topic: String, bytes: [UInt8], at time: Timestamp = now) -> DecodeResult {
        bytes.withUnsafeBytes { decoder.decode(topic: topic, payload: $0, receivedAt: time) }
    }

    /// The standard alarm payload, with members replaced (raw JSON text) or removed (nil).
    static func alarm(_ overrides: KeyValuePairs<String, String?> = [:]) -> String {
        var fields: [(String, String)] = [
            ("v", "1"), ("site", "\"brohuset\""), ("device", "\"pir-12\""), ("zone", "\"korridor\""),
            ("class", "\"intrusion\""), ("restore", "false"), ("seq", "42"), ("id", "\"evt-1\""),
            ("time", "\(now.millisecondsSinceEpoch)"),
        ]
        for (key, value) in overrides {
            if let i = fields.firstIndex(where: { $0.0 == key }) {
                if let value { fields[i].1 = value } else { fields.remove(at: i) }
            } else if let value {
                fields.append((key, value))
            }
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

extension DecodeResult {
    var rejection: Rejection? {
        if case .rejected(let r) = self { return r }
        return nil
    }

    var message: InboundMessage? {
        if case .message(let m) = self { return m }
        return nil
    }

    var alarm: AlarmEvent? {
        if case .message(.alarm(let e)) = self { return e }
        return nil
    }

    var camera: CameraTrigger? {
        if case .message(.camera(let c)) = self { return c }
        return nil
    }

    var ignoredReason: String? {
        if case .ignored(let s) = self { return s }
        return nil
    }
}
