import Testing
@testable import PropertyWatchCore

/// Batched handling is per-message handling: on generated nights (fixed seeds) of heartbeats,
/// alarms and restores, retransmissions, gaps and reboots, camera triggers, check-ins, unit
/// messages, unknown devices and replies to real guard requests, `handle(batch:)` gives exactly
/// the actions of `handle(_:now:)` per message, in the same order, for the engine and `Watch`.
@Suite struct NightMixBatchTests {
    /// 40 sites: a supervised panel, two PIRs, a door (restore-cancel) and a camera each.
    static let directory: SiteDirectory = {
        let sites = (0..<40).map { i in
            SiteConfiguration(
                id: SiteID("site-\(i)"), name: "Site \(i)", kind: i % 5 == 0 ? .civic : .school, address: "Väg \(i)",
                location: Coordinate(latitude: 59.5, longitude: 17.6),
                zones: [ZoneConfiguration(id: "a", name: "A"), ZoneConfiguration(id: "b", name: "B")],
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 60),
                    DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a", heartbeatSeconds: i % 2 == 0 ? 120 : nil),
                    DeviceConfiguration(id: "pir-2", kind: .pir, zone: "b"),
                    DeviceConfiguration(id: "door", kind: .door, zone: "a"),
                    DeviceConfiguration(id: "cam", kind: .camera, cameraZones: ["a"], linkedZones: ["b"]),
                ])
        }
        let shift = ShiftConfiguration(id: "night", units: ["P1", "P2", "P3"], weekdays: Set(1...7), start: LocalTime(hour: 18), end: LocalTime(hour: 6))
        let patrol = PatrolConfiguration(
            units: [UnitConfiguration(id: "P1", callSign: "31"), UnitConfiguration(id: "P2", callSign: "32"), UnitConfiguration(id: "P3", callSign: "33")],
            shifts: [shift],
            escalation: EscalationConfiguration(centralWebhookURL: "http://127.0.0.1:9/example", onCallContact: "example"))
        return SiteDirectory(WatchConfiguration(sites: sites, patrol: patrol))
    }()

    static let devices: [DeviceID] = ["panel", "pir-1", "pir-2", "door", "cam"]

    /// A night's messages from `seed`. `requests` are guard requests seen so far, which replies
    /// answer; the caller feeds them from a per-message run as the messages are generated.
    struct Night {
        var rng: ReplayTests.Seeded
        var now = WatchTests.evening
        var sequences: [String: UInt64] = [:]

        init(seed: UInt64) { rng = ReplayTests.Seeded(state: seed) }

        mutating func next(requests: [GuardRequest]) -> (InboundMessage, Timestamp) {
            now = now + Milliseconds(Int64(rng.next(4) == 0 ? rng.next(120_000) : rng.next(2_000)))
            let site = SiteID("site-\(rng.next(rng.next(10) == 0 ? 41 : 40))")  // site-40 is unknown
            let device = NightMixBatchTests.devices[rng.next(5)]
            let key = "\(site)/\(device)"
            func alarm(_ eventClass: EventClass, restore: Bool) -> InboundMessage {
                var seq = sequences[key, default: 0]
                switch rng.next(30) {
                case 0: seq = 1  // reboot
                case 1: seq += 3  // gap
                case 2, 3: break  // retransmission
                default: seq += 1
                }
                sequences[key] = seq
                return .alarm(AlarmEvent(
                    site: site, device: device, eventClass: eventClass, isRestore: restore, sequence: seq,
                    eventID: "\(key)-\(seq)", deviceTime: now))
            }
            let message: InboundMessage
            switch rng.next(100) {
            case 0..<45: message = .heartbeat(Heartbeat(site: site, device: rng.next(20) == 0 ? "ghost" : device, deviceTime: now))
            case 45..<62: message = alarm(.intrusion, restore: true)
            case 62..<72: message = alarm(.intrusion, restore: false)
            case 72..<78: message = alarm([.test, .bypass, .trouble][rng.next(3)], restore: rng.next(3) == 0)
            case 78..<83: message = alarm(rng.next(3) == 0 ? .open : .close, restore: false)
            case 83..<85: message = alarm([.fire, .holdUp, .tamper][rng.next(3)], restore: false)
            case 85..<92:
                message = .camera(CameraTrigger(
                    site: site, camera: "cam", zones: rng.next(3) == 0 ? ["b"] : [], label: [.person, .vehicle, .motion][rng.next(3)],
                    score: 0.9, eventID: "c\(rng.next(200))", start: now, snapshot: rng.next(2) == 0 ? "snap.jpg" : nil))
            case 92..<94:
                message = .checkIn(CheckIn(unit: UnitID("P\(1 + rng.next(3))"), site: site, method: .tag, present: rng.next(2) == 0, time: now))
            case 94..<95:
                message = .position(UnitPosition(unit: UnitID("P\(1 + rng.next(3))"), position: Coordinate(latitude: 59.5, longitude: 17.6), speed: 0, time: now))
            case 95..<96:
                message = .unitStatus(UnitStatusReport(unit: UnitID("P\(1 + rng.next(3))"), state: [.available, .onSite][rng.next(2)], time: now))
            default:
                if let request = requests.isEmpty ? nil : requests[requests.count - 1 - rng.next(min(4, requests.count))] {
                    let kind: GuardReply.Kind = [.accepted, .declined, .enRoute, .arrived, .cleared][rng.next(5)]
                    message = .reply(GuardReply(
                        unit: request.unit, incident: request.incident, request: request.requestID, kind: kind,
                        outcome: kind == .cleared ? .falseAlarm : nil, time: now))
                } else {
                    message = .reply(GuardReply(unit: "P1", incident: "nothing-1", kind: .accepted, time: now))
                }
            }
            return (message, now)
        }
    }

    @Test(arguments: [3, 11, 2026] as [UInt64], [1, 16, 37, 500])
    func watchBatchMatchesOneByOne(seed: UInt64, size: Int) {
        var night = Night(seed: seed)
        var single = Watch(directory: Self.directory)
        var batched = single
        var messages: [(InboundMessage, Timestamp)] = []
        var expected: [WatchAction] = []
        var requests: [GuardRequest] = []
        for _ in 0..<4000 {
            let (message, now) = night.next(requests: requests)
            messages.append((message, now))
            let actions = single.handle(message, now: now)
            requests += actions.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
            expected += actions
        }
        #expect(requests.count > 10)
        #expect(expected.count > 500)
        let actual = messages.batches(of: size).flatMap { batched.handle(batch: $0) }
        #expect(actual == expected)
        #expect(batched.correlation == single.correlation)
        #expect(batched.correlation.counters == single.correlation.counters)
        #expect(batched.openIncidents.map(\.id) == single.openIncidents.map(\.id))
    }

    @Test(arguments: [5, 8] as [UInt64])
    func engineBatchMatchesOneByOne(seed: UInt64) {
        var night = Night(seed: seed)
        let messages = (0..<6000).map { _ in night.next(requests: []) }
        var single = CorrelationEngine(directory: Self.directory, schedule: TestSchedule.daytime)
        var batched = single
        var expected: [CorrelationAction] = []
        for (message, now) in messages { expected += single.handle(message, now: now) }
        #expect(expected.count > 500)
        #expect(batched.handle(batch: messages) == expected)
        #expect(batched == single)
        #expect(batched.counters == single.counters)
    }
}
