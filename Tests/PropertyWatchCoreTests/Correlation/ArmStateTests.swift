import Testing
@testable import PropertyWatchCore

@Suite struct ArmStateTests {
    @Test func intrusionWhileUnsetIsRecordedNotDispatched() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: Fixture.t0)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(10)).effects.isEmpty)
        #expect(engine.handle(Fixture.alarm("pir-2", seq: 1), now: Fixture.sec(20)).effects.isEmpty)  // and never verified
        #expect(engine.counters.alarmsWhileUnset == 2)
        _ = engine.handle(Fixture.alarm("panel", .close, seq: 2), now: Fixture.sec(30))
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 2), now: Fixture.sec(40)).dispatched.map(\.priority) == [.unverifiedIntrusion])
    }

    @Test func lowPriorityAlarmWhileUnsetPolicy() {
        var rules = CorrelationRules()
        rules.alarmWhileUnset = .incident
        var engine = Fixture.engine(rules: rules)
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: Fixture.t0)
        let actions = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(10))
        #expect(actions.dispatched.isEmpty)
        #expect(actions.transitions.map(\.priority) == [.trouble])
        #expect(engine.openIncidents.first?.triggers == ["alarm while unset: intrusion pir-1 (zone corridor)"])
    }

    @Test(arguments: [(true, false), (false, true)])
    func withoutPanelStateTheScheduleDecides(open: Bool, dispatched: Bool) {
        var engine = Fixture.engine(open ? .alwaysOpen : .alwaysClosed)
        #expect(!engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0).dispatched.isEmpty == dispatched)
    }

    @Test func panelStateWinsOverSchedule() {
        var engine = Fixture.engine(.alwaysOpen)
        _ = engine.handle(Fixture.alarm("panel", .close, seq: 1), now: Fixture.t0)
        #expect(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.sec(1)).dispatched.count == 1)
    }

    @Test func fireAndHoldUpDispatchWhileUnset() {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: Fixture.t0)
        #expect(engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.sec(1)).dispatched.map(\.priority) == [.fire])
    }

    /// Stockholm 18:00 close, 30 min grace: 17:30 UTC in winter; one warning per evening.
    @Test func lateToCloseOncePerEvening() {
        var engine = Fixture.engine(.daytime.withArmGrace(.minutes(30)))
        let morning = Timestamp(millisecondsSinceEpoch: 1_795_676_400_000)  // 2026-11-26 07:00 UTC (08:00 local)
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: morning)
        var warnings: [(Timestamp, String)] = []
        var now = morning
        while now < morning + .hours(48) {
            now = now + .minutes(1)
            warnings += engine.tick(now: now).warnings.map { (now, $0.code) }
        }
        let times = warnings.filter { $0.1 == "late-to-close" }.map(\.0)
        #expect(times == [
            Timestamp(millisecondsSinceEpoch: 1_795_676_400_000 + 10 * 3_600_000 + 30 * 60_000),  // 17:30 UTC = 18:30 local
            Timestamp(millisecondsSinceEpoch: 1_795_676_400_000 + 34 * 3_600_000 + 30 * 60_000),  // next evening
        ])
    }

    @Test func noLateToCloseWhenArmedInTime() {
        var engine = Fixture.engine(.daytime.withArmGrace(.minutes(30)))
        let morning = Timestamp(millisecondsSinceEpoch: 1_795_676_400_000)
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: morning)
        _ = engine.handle(Fixture.alarm("panel", .close, seq: 2), now: morning + .hours(10) + .minutes(29))
        #expect(engine.tick(now: morning + .hours(14)).warningCodes.isEmpty)
    }

    /// On the autumn DST change (2026-10-25) 18:00 local is 17:00 UTC (CET), so the warning
    /// comes at 17:30 UTC, not at 16:30 as it would the day before (CEST).
    @Test(arguments: [
        (1_792_800_000_000 as Int64, 1_792_800_000_000 + (16 * 60 + 30) * 60_000 as Int64),  // 2026-10-24 (CEST)
        (1_792_886_400_000 as Int64, 1_792_886_400_000 + (17 * 60 + 30) * 60_000 as Int64),  // 2026-10-25 (CET from 01:00 UTC)
        (1_774_742_400_000 as Int64, 1_774_742_400_000 + (16 * 60 + 30) * 60_000 as Int64),  // 2026-03-29 (CEST from 01:00 UTC)
    ])
    func lateToCloseAcrossDST(midnightUTC: Int64, expected: Int64) {
        var engine = Fixture.engine(.daytime.withArmGrace(.minutes(30)))
        let start = Timestamp(millisecondsSinceEpoch: midnightUTC + 8 * 3_600_000)
        _ = engine.handle(Fixture.alarm("panel", .open, seq: 1), now: start)
        var first: Timestamp?
        var now = start
        while first == nil, now < start + .hours(14) {
            now = now + .minutes(1)
            if engine.tick(now: now).warningCodes.contains("late-to-close") { first = now }
        }
        #expect(first == Timestamp(millisecondsSinceEpoch: expected))
    }
}
