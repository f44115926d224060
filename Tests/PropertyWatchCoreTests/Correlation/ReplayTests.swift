import Testing
@testable import PropertyWatchCore

/// Rebuilding the engine by replaying the same inputs gives the same state and actions,
/// whether or not (and however often) `tick` was called in between.
@Suite struct ReplayTests {
    /// SplitMix64: a seeded generator, so the scenario is the same on every run.
    struct Seeded {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    enum Op {
        case message(InboundMessage)
        case silence(Silence)
        case dispatchOldest, acknowledgeOldest, clearOldest, closeNewest
    }

    static let directory = SiteDirectory(WatchConfiguration(
        sites: Fixture.directory.configuration.sites + Fixture.supervised.configuration.sites))

    static func scenario(seed: UInt64, count: Int) -> [(Int64, Op)] {
        var rng = Seeded(state: seed)
        var ops: [(Int64, Op)] = []
        var t: Int64 = 0
        var seq: [DeviceID: UInt64] = [:]
        let devices: [(SiteID, DeviceID)] = directory.configuration.sites.flatMap { site in site.devices.map { (site.id, $0.id) } }
        let classes: [EventClass] = [.intrusion, .intrusion, .intrusion, .fire, .tamper, .trouble, .open, .close, .test]
        for _ in 0..<count {
            t += Int64(rng.next(90_000))
            let (site, device) = devices[rng.next(devices.count)]
            let op: Op
            switch rng.next(20) {
            case 0..<9:
                let n = (seq[device] ?? 0) + UInt64(rng.next(10) == 0 ? 3 : 1)  // occasional gaps
                seq[device] = n
                op = .message(.alarm(AlarmEvent(
                    site: site, device: device, eventClass: classes[rng.next(classes.count)], isRestore: rng.next(3) == 0,
                    sequence: rng.next(15) == 0 ? n - 1 : n, eventID: "\(device)-\(n)", deviceTime: Fixture.t0,
                    late: n % 13 == 0)))  // now and then one a device buffered
            case 9..<12:
                op = .message(.camera(CameraTrigger(
                    site: site, camera: device, zones: [], label: [.person, .vehicle, .motion][rng.next(3)], score: 0.8,
                    eventID: "c\(rng.next(50))", start: Fixture.t0, snapshot: "s.jpg")))
            case 12..<15: op = .message(.heartbeat(Heartbeat(site: site, device: device, deviceTime: Fixture.t0)))
            case 15: op = .message(.checkIn(CheckIn(unit: "P1", site: site, method: .tag, present: rng.next(2) == 0, time: Fixture.t0)))
            case 16:
                op = .silence(Silence(site: site, device: rng.next(2) == 0 ? device : nil,
                                      from: Fixture.t0 + Milliseconds(t), until: Fixture.t0 + Milliseconds(t + Int64(rng.next(3_600_000))),
                                      author: "op", reason: "r"))
            case 17: op = .dispatchOldest
            case 18: op = rng.next(2) == 0 ? .acknowledgeOldest : .clearOldest
            default: op = .closeNewest
            }
            ops.append((t, op))
        }
        return ops
    }

    /// Lifecycle operations pick their incident after letting time pass to `now`, as an
    /// operator would see the list at that moment.
    static func apply(_ op: Op, at ms: Int64, to engine: inout CorrelationEngine) -> [CorrelationAction] {
        let now = Fixture.t0 + Milliseconds(ms)
        switch op {
        case .message(let m): return engine.handle(m, now: now)
        case .silence(let s): return engine.silence(s, now: now)
        default: break
        }
        let passed = engine.tick(now: now)
        let open = engine.openIncidents
        guard let oldest = open.first, let newest = open.last else { return passed }
        switch op {
        case .dispatchOldest:
            return passed + engine.dispatched(oldest.id, now: now)
        case .acknowledgeOldest:
            return passed + engine.record(oldest.id, .acknowledged(unit: "P1"), cause: "P1 accepted", now: now)
        case .clearOldest:
            return passed + engine.record(oldest.id, .cleared(unit: "P1", outcome: .falseAlarm), cause: "P1 cleared: false-alarm", now: now)
        default:
            return passed + engine.close(incident: newest.id, by: "op", reason: "done", now: now)
        }
    }

    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func replayWithoutTicksMatchesLiveRunWithTicks(seed: UInt64) {
        let schedule = TestSchedule.daytime
        let ops = Self.scenario(seed: seed, count: 3000)
        // Both start at the same moment (supervision starts at the first call).
        var live = CorrelationEngine(directory: Self.directory, schedule: schedule)
        var liveActions = live.tick(now: Fixture.t0)
        var rng = Seeded(state: seed ^ 0xFFFF)
        var last: Int64 = 0
        for (t, op) in ops {
            // Ticks at arbitrary moments between messages, as a live loop would.
            var tick = last
            while rng.next(3) == 0 {
                tick += Int64(rng.next(Int(max(1, t - tick))))
                if tick <= t { liveActions += live.tick(now: Fixture.t0 + Milliseconds(tick)) }
            }
            liveActions += Self.apply(op, at: t, to: &live)
            last = t
        }
        let end = Fixture.t0 + Milliseconds(last + 3_600_000)
        liveActions += live.tick(now: end)

        var replay = CorrelationEngine(directory: Self.directory, schedule: schedule)
        var replayActions = replay.tick(now: Fixture.t0)
        for (t, op) in ops { replayActions += Self.apply(op, at: t, to: &replay) }
        replayActions += replay.tick(now: end)

        #expect(replay == live)
        #expect(replayActions == liveActions)
        #expect(replay.openIncidents == live.openIncidents)
        #expect(replay.counters == live.counters)
        // The scenario exercised the engine.
        #expect(liveActions.transitions.count > 50)
        #expect(Set(liveActions.warningCodes).count >= 5)
    }

    @Test func differentHistoriesAreNotEqual() {
        var a = Fixture.engine()
        var b = Fixture.engine()
        _ = a.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0)
        _ = b.handle(Fixture.alarm("pir-2", seq: 1), now: Fixture.t0)
        #expect(a != b)
    }
}
