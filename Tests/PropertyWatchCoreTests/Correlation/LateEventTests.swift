import Testing
@testable import PropertyWatchCore

/// Events a device buffered during an outage (`AlarmEvent.late`): recorded with a `late`
/// decision, never dispatched as live; a buffered trouble explains the outage it fell in.
@Suite struct LateEventTests {
    static func buffered(
        _ device: DeviceID, _ eventClass: EventClass, trouble: TroubleKind? = nil, seq: UInt64, at seconds: Int64,
        zone: ZoneID? = nil, site: SiteID = Fixture.preschool
    ) -> InboundMessage {
        .alarm(AlarmEvent(
            site: site, device: device, zone: zone, eventClass: eventClass, trouble: trouble, sequence: seq,
            eventID: "\(device)-\(seq)", deviceTime: Fixture.sec(seconds), late: true))
    }

    /// The hub falls silent after 60 s (in fault at 270 s); the PIRs keep beating for 10 min.
    static func hubOutage() -> CorrelationEngine {
        var engine = Fixture.engine(directory: Fixture.supervised)
        _ = SupervisionTests.run(&engine, alive: ["hub": 60, "pir-a": 3600, "pir-b": 3600], minutes: 10)
        return engine
    }

    @Test func aBufferedTroubleArrivingFirstIsTheOutagesProbableCause() throws {
        var engine = Self.hubOutage()
        let supervision = try #require(engine.openIncidents.first { $0.kind == .supervision })
        let back = engine.handle(Self.buffered("hub", .trouble, trouble: .mainsFailure, seq: 1, at: 90), now: Fixture.sec(700))
        let resolved = try #require(back.transitions.first)
        #expect(resolved.incident == supervision.id)
        #expect(resolved.to == .closed)
        #expect(resolved.cause.contains("hub heard again after 7 min in fault"))
        #expect(resolved.cause.contains("probable cause: mains failure reported by hub"))
        let decision = try #require(back.decisions.first)
        #expect(decision.verdict == .late)
        #expect(decision.incident == supervision.id)
        #expect(decision.reason.contains("arrived 10 min later"))
        #expect(decision.rule.hasPrefix("late event:"))
        #expect(decision.eventTime == Fixture.sec(90))
        #expect(back.dispatched.isEmpty)
        #expect(back.transitions.count == 1)  // no new incident for it
        #expect(engine.counters.buffered == 1)
    }

    @Test func aBufferedTroubleAfterTheFirstMessageBackIsAddedToTheResolvedFault() throws {
        var engine = Self.hubOutage()
        let supervision = try #require(engine.openIncidents.first { $0.kind == .supervision })
        let beat = engine.handle(SupervisionTests.heartbeat("hub"), now: Fixture.sec(700))
        #expect(beat.transitions.first?.cause.contains("probable cause") == false)
        let late = engine.handle(Self.buffered("hub", .trouble, trouble: .mainsFailure, seq: 1, at: 90), now: Fixture.sec(701))
        let note = try #require(late.transitions.first)
        #expect(note.incident == supervision.id)
        #expect(note.from == .closed && note.to == .closed)
        #expect(note.cause.hasPrefix("probable cause: mains failure reported by hub at "))
        #expect(note.cause.contains("outage of hub from "))
        #expect(late.decisions.map(\.verdict) == [.late])
        // Named once: a second buffered trouble adds no second note.
        let again = engine.handle(Self.buffered("hub", .trouble, trouble: .lowBattery, seq: 2, at: 95), now: Fixture.sec(702))
        #expect(again.transitions.isEmpty)
        #expect(again.decisions.first?.incident == supervision.id)
    }

    @Test func aBufferedIntrusionWhileArmedIsARecordNeverADispatch() throws {
        var rules = CorrelationRules()
        rules.priorities[.lateAlarm] = .fire  // even so
        var engine = Fixture.engine(rules: rules, directory: Fixture.supervised)
        let out = engine.handle(Self.buffered("pir-a", .intrusion, seq: 1, at: -1800, zone: "hall"), now: Fixture.t0)
        #expect(out.dispatched.isEmpty)
        let opened = try #require(out.transitions.first)
        #expect(opened.kind == .lateAlarm)
        #expect(opened.cause.hasPrefix("buffered intrusion from pir-a (zone hall): happened at "))
        #expect(out.verdicts == [.late])
        let fire = engine.handle(Self.buffered("hub", .fire, seq: 1, at: -1700), now: Fixture.sec(1))
        #expect(fire.dispatched.isEmpty)
        #expect(fire.verdicts == [.late])
        #expect(engine.openIncidents.map(\.kind) == [.lateAlarm, .lateAlarm])
    }

    @Test func aDevicesBufferArrivingInABurstIsNotAFlood() {
        var engine = Fixture.engine(directory: Fixture.supervised)
        var actions: [CorrelationAction] = []
        for seq in UInt64(1)...100 {
            actions += engine.handle(Self.buffered("pir-a", .intrusion, seq: seq, at: -3600 + Int64(seq), zone: "hall"), now: Fixture.t0)
        }
        #expect(!actions.warningCodes.contains("flood"))
        #expect(engine.counters.floodSuppressed == 0)
        #expect(actions.verdicts.allSatisfy { $0 == .late })
        #expect(engine.openIncidents.count == 1)  // one late-alarm record for the device
    }

    @Test func restoresAndTestsAreRecordedOnly() {
        var engine = Fixture.engine(directory: Fixture.supervised)
        let out = engine.handle(Self.buffered("hub", .test, seq: 1, at: -900), now: Fixture.t0)
        #expect(out.effects.isEmpty)
        #expect(out.decisions.first?.reason.hasSuffix("recorded only") == true)
    }

    @Test func aBufferedClosingSetsThePartition() {
        var engine = Fixture.engine(.alwaysOpen, directory: Fixture.supervised)
        let out = engine.handle(Self.buffered("hub", .close, seq: 1, at: -900), now: Fixture.t0)
        #expect(out.verdicts == [.late])
        #expect(engine.partitionStates(site: Fixture.preschool, now: Fixture.t0).allSatisfy { $0.armed && $0.reported })
    }
}
