import Testing
@testable import PropertyWatchCore

/// Video supervision (Frigate's availability, its cameras' frames), the camera event
/// lifecycle and backfilled events, in the engine alone.
@Suite struct VideoSupervisionTests {
    typealias F = Fixture

    /// The school's cameras are Frigate's; Brohuset's are not.
    static let directory = SiteDirectory(WatchConfiguration(
        sites: F.directory.configuration.sites,
        frigate: FrigateMapping(cameras: [
            "school_corridor": .init(site: F.school, device: "cam-1"),
            "school_yard": .init(site: F.school, device: "cam-2"),
        ])))

    static func engine(rules: CorrelationRules = CorrelationRules()) -> CorrelationEngine {
        F.engine(rules: rules, directory: directory)
    }

    static var verifyFirst: CorrelationRules {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = .verifyFirst(minutes: 5)
        return rules
    }

    static func trigger(
        _ phase: CameraTrigger.Phase, id: String, zones: [ZoneID], camera: DeviceID = "cam-1", at start: Timestamp = F.t0,
        snapshot: String? = nil, backfilled: Bool = false, end: Timestamp? = nil
    ) -> InboundMessage {
        .camera(CameraTrigger(
            site: F.school, camera: camera, zones: zones, label: .person, score: 0.9, phase: phase, eventID: id,
            start: start, end: end, snapshot: snapshot, backfilled: backfilled))
    }

    static func fetches(_ actions: [CorrelationAction]) -> [(Timestamp, Timestamp)] {
        actions.compactMap { if case .fetchMissedVideo(let from, let until) = $0 { (from, until) } else { nil } }
    }

    // MARK: - Availability

    @Test func frigateOfflineRaisesVideoUnavailableAtItsSitesAndOnlineResolvesIt() throws {
        var engine = Self.engine()
        #expect(engine.handle(.video(.frigate(online: true)), now: F.t0).isEmpty)  // the retained online at start

        let down = engine.handle(.video(.frigate(online: false)), now: F.sec(10))
        let opened = try #require(down.transitions.first)
        #expect(opened.site == F.school)
        #expect(opened.kind == .cameraUnavailable)
        #expect(opened.priority == .trouble)
        #expect(opened.cause.hasPrefix("video verification unavailable at school: Frigate offline"))
        #expect(down.transitions.count == 1)  // Brohuset has no Frigate camera
        #expect(down.dispatched.isEmpty)
        #expect(down.warningCodes == [CorrelationWarning.videoUnavailable.rawValue])
        let decision = try #require(down.decisions.first)
        #expect(decision.verdict == .incident)
        #expect(decision.rule.hasPrefix("video supervision"))
        #expect(engine.handle(.video(.frigate(online: false)), now: F.sec(20)).isEmpty)  // retained again: nothing new

        let up = engine.handle(.video(.frigate(online: true)), now: F.sec(610))
        let closed = try #require(up.transitions.first)
        #expect(closed.incident == opened.incident)
        #expect(closed.to == .closed)
        #expect(closed.cause.contains("available again after 10 min"))
        #expect(up.decisions.map(\.verdict) == [.observation])
        #expect(up.decisions.first?.incident == opened.incident)
        let fetch = try #require(Self.fetches(up).first)
        #expect(fetch == (F.sec(10), F.sec(610)))
        #expect(engine.openIncidents.isEmpty)
    }

    @Test func aCameraWithoutFramesRaisesItAndFramesResolveIt() throws {
        var engine = Self.engine()
        let down = engine.handle(.video(.cameras([
            .init(site: F.school, camera: "cam-1", framesPerSecond: 0), .init(site: F.school, camera: "cam-2", framesPerSecond: 5),
        ])), now: F.t0)
        #expect(down.transitions.map(\.kind) == [.cameraUnavailable])
        #expect(down.decisions.first?.device == "cam-1")
        // Frigate going down too is one more reason on the same incident, not a second one.
        let frigate = engine.handle(.video(.frigate(online: false)), now: F.sec(30))
        #expect(frigate.decisions.map(\.verdict) == [.joined])
        #expect(engine.openIncidents.count == 1)
        _ = engine.handle(.video(.frigate(online: true)), now: F.sec(60))
        #expect(engine.openIncidents.count == 1)  // cam-1 is still dark
        let up = engine.handle(.video(.cameras([.init(site: F.school, camera: "cam-1", framesPerSecond: 4.9)])), now: F.sec(120))
        #expect(up.transitions.map(\.to) == [.closed])
        #expect(up.transitions.first?.cause.contains("available again after 2 min") == true)
    }

    // MARK: - Dispatch on the alarm alone

    @Test func verifyFirstWaitsForVideoOnlyWhileVideoIsAvailable() throws {
        var engine = Self.engine(rules: Self.verifyFirst)
        let waiting = engine.handle(F.alarm("pir-1", seq: 1), now: F.t0)
        #expect(waiting.verdicts == [.awaitingVerification])
        #expect(waiting.dispatched.isEmpty)

        var outage = Self.engine(rules: Self.verifyFirst)
        _ = outage.handle(.video(.frigate(online: false)), now: F.t0)
        let alone = outage.handle(F.alarm("pir-1", seq: 1), now: F.sec(60))
        #expect(alone.verdicts == [.dispatched])
        #expect(alone.dispatched.map(\.kind) == [.unverifiedIntrusion])
        let reason = try #require(alone.decisions.first?.reason)
        #expect(reason.contains("video verification unavailable since"))
        #expect(reason.contains("on the alarm alone"))
    }

    @Test func anAlarmWaitingForVideoIsDispatchedWhenVideoGoesDown() throws {
        var engine = Self.engine(rules: Self.verifyFirst)
        let waiting = engine.handle(F.alarm("pir-1", seq: 1), now: F.t0)
        #expect(waiting.verdicts == [.awaitingVerification])
        let down = engine.handle(.video(.frigate(online: false)), now: F.sec(60))
        let dispatched = try #require(down.dispatched.first)
        #expect(dispatched.kind == .unverifiedIntrusion)
        #expect(down.transitions.contains { $0.incident == dispatched.id && $0.cause.contains("dispatching on the alarm alone") })
        // Its verify-first deadline passing later changes nothing.
        #expect(engine.tick(now: F.sec(400)).dispatched.isEmpty)
    }

    // MARK: - Lifecycle

    @Test func anObjectWalkingIntoALinkedZoneInAnUpdateCountsFromThen() throws {
        var engine = Self.engine(rules: Self.verifyFirst)
        _ = engine.handle(F.alarm("pir-2", seq: 1), now: F.t0)  // gym, waiting for video
        let new = engine.handle(Self.trigger(.new, id: "e1", zones: ["yard"]), now: F.sec(10))
        #expect(new.verdicts == [.observation])
        // The same zones again: no decision, nothing counted twice.
        #expect(engine.handle(Self.trigger(.update, id: "e1", zones: ["yard"]), now: F.sec(15)).isEmpty)
        let entered = engine.handle(Self.trigger(.update, id: "e1", zones: ["yard", "gym"]), now: F.sec(20))
        #expect(entered.verdicts == [.joined])
        let verified = try #require(entered.dispatched.first)
        #expect(verified.verification == .video)
        #expect(verified.cameraEvents == ["e1"])
        #expect(entered.decisions.first?.input == "person cam-1 in gym")
        #expect(entered.decisions.first?.time == F.sec(20))
        // A repeated `new` of the same event is a duplicate.
        #expect(engine.handle(Self.trigger(.new, id: "e1", zones: ["gym"]), now: F.sec(25)).verdicts == [.duplicate])
    }

    @Test func endClosesTheObservationAndBringsTheSnapshot() throws {
        var engine = Self.engine()
        _ = engine.handle(F.alarm("pir-1", seq: 1), now: F.t0)
        let seen = engine.handle(Self.trigger(.new, id: "e7", zones: ["corridor"]), now: F.sec(5))
        let incident = try #require(seen.decisions.first?.incident)
        #expect(engine.incident(incident)?.snapshot == nil)
        _ = engine.dispatched(incident, now: F.sec(6))
        let end = engine.handle(Self.trigger(.end, id: "e7", zones: ["corridor"], snapshot: "http://frigate/api/events/e7/snapshot.jpg"), now: F.sec(40))
        #expect(end.verdicts == [.joined])
        #expect(end.decisions.first?.rule == "camera event lifecycle: a later phase brings the snapshot")
        #expect(end.dispatched.first?.snapshot == "http://frigate/api/events/e7/snapshot.jpg")  // the unit is told
        #expect(engine.incident(incident)?.snapshot == "http://frigate/api/events/e7/snapshot.jpg")
        #expect(engine.incident(incident)?.cameraEvents == ["e7"])
        // After its end the event is closed: a late update is a duplicate.
        #expect(engine.handle(Self.trigger(.update, id: "e7", zones: ["corridor", "gym"]), now: F.sec(50)).verdicts == [.duplicate])
    }

    // MARK: - Backfill

    @Test func aBackfilledDetectionVerifiesTheAlarmOfItsTimeWithoutANewDispatch() throws {
        var engine = Self.engine(rules: Self.verifyFirst)
        _ = engine.handle(.video(.frigate(online: false)), now: F.t0)
        let alarm = engine.handle(F.alarm("pir-1", seq: 1), now: F.sec(60))
        let incident = try #require(alarm.dispatched.first)
        _ = engine.dispatched(incident.id, now: F.sec(61))
        let up = engine.handle(.video(.frigate(online: true)), now: F.sec(300))
        #expect(Self.fetches(up).count == 1)
        let backfill = engine.handle(
            Self.trigger(.end, id: "b1", zones: ["corridor"], at: F.sec(70), snapshot: "snap-b1", backfilled: true, end: F.sec(90)),
            now: F.sec(301))
        let decision = try #require(backfill.decisions.first)
        #expect(decision.verdict == .joined)
        #expect(decision.incident == incident.id)
        #expect(decision.rule.hasSuffix("(backfilled)"))
        // The unit already underway is told it is now video verified; no second incident.
        #expect(backfill.dispatched.map(\.id) == [incident.id])
        #expect(backfill.dispatched.first?.verification == .video)
        #expect(backfill.dispatched.first?.cameraEvents == ["b1"])
        #expect(engine.openIncidents.filter { $0.kind != .cameraUnavailable }.count == 1)
        // Fetched again (an overlapping page, a second backfill): changes nothing.
        let again = engine.handle(
            Self.trigger(.end, id: "b1", zones: ["corridor"], at: F.sec(70), backfilled: true, end: F.sec(90)), now: F.sec(302))
        #expect(again.verdicts == [.duplicate])
        #expect(again.effects.isEmpty)
    }

    @Test func aBackfilledDetectionIsNeverDispatchedAsLive() throws {
        var engine = Self.engine()
        // Armed, a camera alarm zone would open an incident live; fetched hours later it is only recorded.
        let old = engine.handle(
            Self.trigger(.end, id: "b2", zones: ["corridor"], at: F.t0, backfilled: true, end: F.sec(30)), now: F.sec(7200))
        #expect(old.verdicts == [.observation])
        #expect(old.effects.isEmpty)
        #expect(old.decisions.first?.rule == "frigate backfill: recorded, never dispatched as live")
        #expect(old.decisions.first?.reason.hasPrefix("fetched 120 min after it happened") == true)
    }

    @Test func aBackfilledEventAlreadySeenLiveChangesNothing() throws {
        var engine = Self.engine()
        _ = engine.handle(Self.trigger(.new, id: "e9", zones: ["yard"]), now: F.t0)
        let backfill = engine.handle(Self.trigger(.end, id: "e9", zones: ["yard"], backfilled: true, end: F.sec(20)), now: F.sec(600))
        #expect(backfill.verdicts == [.duplicate])
        #expect(backfill.effects.isEmpty)
    }
}

extension VideoSupervisionTests {
    /// A night of Frigate going away and back, alarms, live phases and fetched events: the
    /// same actions and state however the messages are batched.
    @Test(arguments: [1, 3, 8, 100])
    func batchingChangesNothing(size: Int) {
        var messages: [(InboundMessage, Timestamp)] = []
        var t: Int64 = 0
        func add(_ message: InboundMessage) {
            t += 7
            messages.append((message, F.sec(t)))
        }
        for round in 0..<12 {
            let id = "r\(round)"
            add(.video(.frigate(online: round % 3 != 1)))
            add(F.alarm(round % 2 == 0 ? "pir-1" : "pir-2", seq: UInt64(round + 1)))
            add(Self.trigger(.new, id: id, zones: ["yard"]))
            add(Self.trigger(.update, id: id, zones: ["yard", round % 2 == 0 ? "corridor" : "gym"]))
            add(Self.trigger(.end, id: id, zones: ["yard"], snapshot: "s-\(id)"))
            add(Self.trigger(.end, id: "b\(round)", zones: ["corridor"], at: F.sec(t - 20), backfilled: true, end: F.sec(t - 10)))
            add(.video(.cameras([.init(site: F.school, camera: "cam-2", framesPerSecond: round % 4 == 0 ? 0 : 5)])))
        }
        var single = Self.engine(rules: Self.verifyFirst)
        let expected = messages.flatMap { single.handle($0.0, now: $0.1) }
        var batched = Self.engine(rules: Self.verifyFirst)
        let actual = messages.batches(of: size).flatMap { batched.handle(batch: $0) }
        #expect(expected.count > 50)
        #expect(actual == expected)
        #expect(batched == single)
    }
}
