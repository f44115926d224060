import Testing
@testable import PropertyWatchCore

/// A snapshot is exact: on generated nights (messages of every kind, ticks, restarts, operator
/// closes, silences, directed checks and webhook results), cutting the input stream anywhere,
/// taking a snapshot there (encode → decode into a fresh `Watch`) and feeding it the tail gives
/// the same actions for the tail, and the same final state byte for byte, as never stopping.
@Suite struct WatchSnapshotTests {
    static let directory = NightMixBatchTests.directory
    static let fingerprint = ConfigurationFingerprint.of(directory.configuration)

    /// One input to the core, as the pipeline journals (or, for `tick`, lets pass) them.
    enum Step {
        case message(InboundMessage, Timestamp)
        case tick(Timestamp)
        case resume(Timestamp)
        case close(IncidentID, Timestamp)
        case silence(Silence, Timestamp)
        case directCheck(SiteID, Timestamp)
        case central(IncidentID, succeeded: Bool, Timestamp)

        func apply(to watch: inout Watch) -> [WatchAction] {
            switch self {
            case .message(let m, let t): watch.handle(m, now: t)
            case .tick(let t): watch.tick(now: t)
            case .resume(let t): watch.resume(at: t)
            case .close(let id, let t): watch.close(incident: id, by: "operator", reason: "test", now: t)
            case .silence(let s, let t): watch.silence(s, now: t)
            case .directCheck(let site, let t): watch.directCheck(site: site, notBefore: nil, by: "operator", reason: "test", now: t)
            case .central(let id, let ok, let t): watch.centralDelivery(incident: id, idempotencyKey: "\(id)-central", succeeded: ok, now: t)
            }
        }
    }

    /// A night of `count` steps from `seed`, run uninterrupted: the steps, each step's actions.
    static func night(seed: UInt64, count: Int) -> (steps: [Step], actions: [[WatchAction]], final: Watch) {
        var night = NightMixBatchTests.Night(seed: seed)
        var rng = ReplayTests.Seeded(state: seed ^ 0x5EED)
        var watch = Watch(directory: directory)
        var steps: [Step] = []
        var actions: [[WatchAction]] = []
        var requests: [GuardRequest] = []
        var escalations: [IncidentID] = []
        while steps.count < count {
            let (message, now) = night.next(requests: requests)
            let step: Step
            switch rng.next(200) {
            case 0: step = .resume(now)
            case 1..<4: step = .tick(now + Milliseconds(Int64(rng.next(600_000))))
            case 4: step = watch.openIncidents.first.map { .close($0.id, now) } ?? .message(message, now)
            case 5:
                let site = SiteID("site-\(rng.next(40))")
                step = .silence(Silence(site: site, from: now, until: now + .seconds(Int64(rng.next(3_600))), author: "op", reason: "work"), now)
            case 6: step = .directCheck(SiteID("site-\(rng.next(40))"), now)
            case 7: step = escalations.last.map { .central($0, succeeded: rng.next(2) == 0, now) } ?? .message(message, now)
            default: step = .message(message, now)
            }
            let out = step.apply(to: &watch)
            for action in out {
                switch action {
                case .requestGuard(let r): requests.append(r)
                case .notifyCentral(let incident, _, _): escalations.append(incident)
                default: break
                }
            }
            steps.append(step)
            actions.append(out)
        }
        return (steps, actions, watch)
    }

    @Test(arguments: [3, 11, 2026] as [UInt64])
    func snapshotAndTailEqualsUninterruptedRun(seed: UInt64) throws {
        let count = 3000
        let (steps, actions, final) = Self.night(seed: seed, count: count)
        #expect(actions.joined().count > 300)
        let expectedState = try WatchSnapshot.encodedState(of: final)
        let expectedDump = ReflectionDump.of(final)
        let cuts = [0, 1, 2, 17, 250, 999, 1000, 1501, 2222, 2999, 3000]
        var watch = Watch(directory: Self.directory)
        var next = 0
        for cut in cuts {
            while next < cut {
                _ = steps[next].apply(to: &watch)
                next += 1
            }
            let snapshot = try WatchSnapshot(of: watch, position: Int64(cut), takenAt: Timestamp(millisecondsSinceEpoch: 0), configuration: Self.fingerprint)
            var restored = Watch(directory: Self.directory)
            try snapshot.restore(into: &restored, configuration: Self.fingerprint)
            // Restored, it encodes to the bytes it was taken from, and is the same value.
            #expect(try WatchSnapshot.encodedState(of: restored) == snapshot.state)
            #expect(ReflectionDump.of(restored) == ReflectionDump.of(watch))
            var tail: [WatchAction] = []
            for step in steps[cut...] { tail += step.apply(to: &restored) }
            let expectedTail = Array(actions[cut...].joined())
            let firstDifference = zip(tail, expectedTail).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(tail.count == expectedTail.count && firstDifference == nil,
                    "cut \(cut): \(tail.count) actions, expected \(expectedTail.count), first difference at \(String(describing: firstDifference))")
            #expect(try WatchSnapshot.encodedState(of: restored) == expectedState, "cut \(cut)")
            // Every field, also those a snapshot might have missed, compared by reflection.
            #expect(ReflectionDump.of(restored) == expectedDump, "cut \(cut)")
        }
    }

    @Test func equalStatesEncodeToEqualBytes() throws {
        let (_, _, a) = Self.night(seed: 7, count: 1500)
        let (_, _, b) = Self.night(seed: 7, count: 1500)
        #expect(try WatchSnapshot.encodedState(of: a) == WatchSnapshot.encodedState(of: b))
    }

    @Test func damagedOrForeignSnapshotsAreRefused() throws {
        let (_, _, watch) = Self.night(seed: 5, count: 500)
        let good = try WatchSnapshot(of: watch, position: 500, takenAt: Timestamp(millisecondsSinceEpoch: 1), configuration: Self.fingerprint)
        func refusal(_ snapshot: WatchSnapshot, configuration: String = Self.fingerprint) -> WatchSnapshot.Unusable? {
            var fresh = Watch(directory: Self.directory)
            do {
                try snapshot.restore(into: &fresh, configuration: configuration)
                return nil
            } catch {
                #expect(fresh.openIncidents.isEmpty, "a refused snapshot leaves the watch as it was")
                return error
            }
        }
        #expect(refusal(good) == nil)
        var flipped = good
        flipped.state[flipped.state.count / 2] ^= 0x20
        #expect(refusal(flipped) == .checksum)
        var format = good
        format.format = WatchSnapshot.currentFormat + 1
        #expect(refusal(format) == .format(WatchSnapshot.currentFormat + 1))
        #expect(refusal(good, configuration: "other")?.reason == "configuration")
        var garbage = good
        garbage.state = Array("{\"correlation\":1}".utf8)
        garbage.checksum = WatchSnapshot.checksum(garbage.state)
        #expect(refusal(garbage)?.reason == "undecodable")
    }

    @Test func fingerprintFollowsTheConfigurationNotItsHashOrder() {
        let configuration = Self.directory.configuration
        // Rebuilt from scratch: sets and dictionaries are new hash tables.
        let rebuilt = NightMixBatchTests.directory.configuration
        #expect(ConfigurationFingerprint.of(rebuilt) == ConfigurationFingerprint.of(configuration))
        #expect(ConfigurationFingerprint.fingerprint(of: Set(["a", "b", "c", "d", "e"])) == ConfigurationFingerprint.fingerprint(of: Set(["e", "d", "c", "b", "a"])))
        var changed = configuration
        changed.sites[3].devices[1].heartbeatSeconds = 300
        #expect(ConfigurationFingerprint.of(changed) != ConfigurationFingerprint.of(configuration))
        var rules = configuration
        rules.rules.floodBurst += 1
        #expect(ConfigurationFingerprint.of(rules) != ConfigurationFingerprint.of(configuration))
    }
}
