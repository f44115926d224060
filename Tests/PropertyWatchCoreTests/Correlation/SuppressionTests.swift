import Testing
@testable import PropertyWatchCore

/// Restore-cancel, guard presence, silences, floods and flapping.
@Suite struct SuppressionTests {
    /// The hold is half-open: a restore before alarm + 30 s cancels, at alarm + 30 s it is too late.
    @Test(arguments: [(Int64(1_000), true), (Int64(29_999), true), (Int64(30_000), false), (Int64(45_000), false)])
    func restoreCancel(restoreAfter: Int64, cancelled: Bool) {
        var engine = Fixture.engine()
        #expect(engine.handle(Fixture.alarm("door-1", seq: 1), now: Fixture.t0).effects.isEmpty)
        #expect(engine.nextDeadline == Fixture.sec(30))
        let actions = engine.handle(Fixture.alarm("door-1", seq: 2, restore: true), now: Fixture.at(restoreAfter))
        let later = engine.tick(now: Fixture.sec(120))
        if cancelled {
            #expect(actions.effects.isEmpty && later.effects.isEmpty)
            #expect(engine.counters.restoreCancelled == 1)
            #expect(engine.openIncidents.isEmpty)
        } else {
            #expect(actions.dispatched.count == 1)
            #expect(actions.transitions.first?.time == Fixture.sec(30))  // decided at the delay's end
            #expect(engine.counters.restoreCancelled == 0)
        }
    }

    @Test func restoreCancelOnlyForConfiguredKinds() {
        var engine = Fixture.engine()
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0).dispatched.count == 1)
    }

    @Test func tickFiresTheHeldAlarm() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.alarm("door-1", seq: 1), now: Fixture.t0)
        #expect(engine.tick(now: Fixture.at(29_999)).isEmpty)
        #expect(engine.tick(now: Fixture.sec(30)).dispatched.count == 1)
    }

    @Test func guardPresenceAttributesExceptFireAndHoldUp() throws {
        var engine = Fixture.engine()
        _ = engine.handle(.checkIn(CheckIn(unit: "P2", site: Fixture.school, method: .tag, time: Fixture.t0)), now: Fixture.t0)
        let attributed = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(10))
        #expect(attributed.dispatched.isEmpty)
        let transition = try #require(attributed.transitions.first)
        #expect(transition.to == .attributed)
        #expect(transition.cause == "attributed to P2: intrusion pir-1 (zone corridor)")
        // A second event joins the same record silently.
        #expect(engine.handle(Fixture.alarm("pir-2", seq: 1), now: Fixture.sec(20)).effects.isEmpty)
        #expect(engine.counters.attributed == 2)
        #expect(engine.openIncidents.isEmpty)
        #expect(engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.sec(30)).dispatched.map(\.priority) == [.fire])
        _ = engine.handle(.checkIn(CheckIn(unit: "P2", site: Fixture.school, method: .tag, present: false, time: Fixture.sec(40))), now: Fixture.sec(40))
        let after = engine.handle(Fixture.alarm("pir-1", seq: 2), now: Fixture.sec(50))
        #expect(after.effects.isEmpty)  // joins the (higher-priority) fire incident
        #expect(engine.openIncidents.first?.triggers == ["fire smoke-1 (zone corridor)", "intrusion pir-1 (zone corridor)"])
        #expect(engine.counters.attributed == 2)
    }

    @Test(arguments: [(Int64(2 * 3600), true), (Int64(2 * 3600 + 1), false)])
    func guardPresenceTimesOut(after seconds: Int64, attributed: Bool) {
        var engine = Fixture.engine()
        _ = engine.handle(.checkIn(CheckIn(unit: "P2", site: Fixture.school, method: .geofence, time: Fixture.t0)), now: Fixture.t0)
        let actions = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(seconds))
        #expect(actions.dispatched.isEmpty == attributed)
    }

    @Test func guardPresenceCanBeTurnedOff() {
        var rules = CorrelationRules()
        rules.guardPresenceAttributes = false
        var engine = Fixture.engine(rules: rules)
        _ = engine.handle(.checkIn(CheckIn(unit: "P2", site: Fixture.school, method: .tag, time: Fixture.t0)), now: Fixture.t0)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(1)).dispatched.count == 1)
    }

    @Test func overlappingSilencesAndExpiry() {
        var engine = Fixture.engine()
        let a = Silence(site: Fixture.school, from: Fixture.t0, until: Fixture.sec(600), author: "anna", reason: "service")
        let b = Silence(site: Fixture.school, zone: "gym", from: Fixture.sec(300), until: Fixture.sec(1200), author: "bo", reason: "painting")
        #expect(engine.silence(a, now: Fixture.t0).warningCodes == ["silence-added"])
        #expect(engine.silence(b, now: Fixture.t0).warningCodes == ["silence-added"])
        let first = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(100))
        #expect(first.dispatched.isEmpty)
        #expect(first.transitions.first?.cause == "silenced by anna: service: intrusion pir-1 (zone corridor)")
        // Site-wide silences do not cover fire.
        #expect(engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.sec(200)).dispatched.count == 1)
        // At 600 s the first silence ends (half-open): corridor dispatches, gym stays silenced.
        let expiry = engine.tick(now: Fixture.sec(600))
        #expect(expiry.warningCodes == ["silence-expired"])
        #expect(expiry.warnings.first?.message.contains("anna") == true)
        #expect(engine.handle(Fixture.alarm("pir-2", seq: 1), now: Fixture.sec(700)).dispatched.isEmpty)
        #expect(engine.counters.silenced == 2)
        #expect(engine.tick(now: Fixture.sec(1200)).warningCodes == ["silence-expired"])
        #expect(engine.nextDeadline.map { $0 > Fixture.sec(1200) } ?? true)
    }

    @Test func deviceSilenceCoversItsFireAlarms() {
        var engine = Fixture.engine()
        _ = engine.silence(Silence(site: Fixture.school, device: "smoke-1", from: Fixture.t0, until: Fixture.sec(600), author: "tech", reason: "detector test"), now: Fixture.t0)
        let actions = engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.sec(10))
        #expect(actions.dispatched.isEmpty)
        #expect(actions.transitions.map(\.to) == [.attributed])
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(20)).dispatched.count == 1)
    }

    @Test func floodMakesOneWarningAndNeverStarvesOtherSites() throws {
        var engine = Fixture.engine()
        var actions: [CorrelationAction] = []
        var others: [Incident] = []
        for i in 0..<1000 {
            actions += engine.handle(Fixture.alarm("pir-1", seq: UInt64(i + 1)), now: Fixture.at(Int64(i)))
            if i == 500 {
                others = engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.at(Int64(i)))
                    .dispatched
            }
        }
        #expect(actions.warningCodes == ["flood"])
        #expect(engine.counters.floodSuppressed == 980)  // burst of 20 passes
        #expect(others.map(\.priority) == [.fire])
        // The fire joined the intrusion incident; the flood is a technical incident of its own…
        #expect(engine.openIncidents.map(\.kind) == [.fire, .flood])
        #expect(engine.tick(now: Fixture.at(999 + 59_999)).isEmpty)
        let calm = engine.tick(now: Fixture.at(999 + 60_000))
        #expect(calm.warningCodes == ["flood-ended"])
        // …resolved when the device calms down.
        #expect(engine.openIncidents.map(\.kind) == [.fire])
        #expect(calm.warnings.first?.message.contains("980 event(s)") == true)
        // Another site is unaffected.
        #expect(engine.handle(Fixture.alarm("pir-b", seq: 1, site: Fixture.brohuset), now: Fixture.at(1000)).dispatched.map(\.priority) == [.unverifiedIntrusion])
    }

    @Test func flappingDetectorHasHysteresis() {
        var rules = CorrelationRules()
        rules.flapping = FlapRule(changes: 10, window: .minutes(1), quiet: .minutes(5))
        var engine = Fixture.engine(rules: rules)
        var warnings: [String] = []
        var seq: UInt64 = 0
        var t: Int64 = 0
        func send(_ restore: Bool) -> [CorrelationAction] {
            seq += 1
            t += 2_000
            return engine.handle(Fixture.alarm("pir-2", seq: seq, restore: restore), now: Fixture.at(t))
        }
        for i in 0..<11 { warnings += send(i % 2 == 1).warningCodes }  // 10 changes in 22 s
        #expect(warnings == ["flapping"])
        #expect(send(true).effects.isEmpty)
        #expect(send(false).effects.isEmpty)
        #expect(engine.counters.flapSuppressed == 2)  // the 11th event and this one
        // Still flapping 4 min after the last change; stable again at 5 min.
        let last = t
        #expect(engine.tick(now: Fixture.at(last + 299_999)).isEmpty)
        let ended = engine.tick(now: Fixture.at(last + 300_000))
        #expect(ended.warningCodes == ["flapping-ended"])
        #expect(ended.transitions.map(\.to) == [.closed])  // the flapping incident is resolved
    }
}
