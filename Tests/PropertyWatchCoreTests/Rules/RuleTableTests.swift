import Testing
@testable import PropertyWatchCore

/// Every rule at its boundaries, on a panel with partitions, numbered zones and users.
@Suite struct RuleTableTests {
    typealias P = PanelFixture

    // MARK: Sequential verification

    /// A second *distinct* zone within the window (inclusive) verifies; the same zone never does.
    @Test(arguments: [
        ("korridor", Int64(30 * 60), true),
        ("korridor", Int64(30 * 60 + 1), false),
        ("entre", Int64(10), false),  // the same zone repeating
    ] as [(String, Int64, Bool)])
    func sequentialVerification(second: String, after seconds: Int64, verified: Bool) {
        var engine = P.engine()
        _ = engine.handle(P.panel(zone: "entre", seq: 1), now: P.t0)
        let actions = engine.handle(P.panel(zone: ZoneID(second), seq: 2), now: P.sec(seconds))
        #expect(actions.dispatched.contains { $0.verification == .sequential } == verified)
        if verified { #expect(actions.decisions.last?.rule.hasPrefix("sequential verification") == true) }
    }

    @Test(arguments: [(SequentialRequirement.distinctZones, false), (.distinctDetectors, true)])
    func twoDetectorsInOneZone(requirement: SequentialRequirement, verified: Bool) {
        var rules = CorrelationRules()
        rules.sequentialRequires = requirement
        var engine = Fixture.engine(rules: rules)
        let directory = SiteDirectory(WatchConfiguration(sites: [
            SiteConfiguration(
                id: "s", name: "S", kind: .school, address: "a", location: Coordinate(latitude: 59.5, longitude: 17.6),
                devices: [DeviceConfiguration(id: "pir-1", kind: .pir, zone: "hall"), DeviceConfiguration(id: "pir-2", kind: .pir, zone: "hall")]),
        ]))
        engine = CorrelationEngine(directory: directory, policy: CorrelationPolicy(defaults: rules), schedule: TestSchedule.alwaysClosed)
        _ = engine.handle(Fixture.alarm("pir-1", seq: 1, site: "s"), now: P.t0)
        let second = engine.handle(Fixture.alarm("pir-2", seq: 1, site: "s"), now: P.sec(60))
        #expect(second.dispatched.contains { $0.verification == .sequential } == verified)
    }

    // MARK: Video verification

    /// A camera zone linked to an alarm zone verifies it within the window before and after;
    /// a detection in an unlinked camera zone does not (per camera zone, not per camera).
    @Test(arguments: [
        ("gard", "expedition", Int64(-60), true),   // camera 60 s before the alarm (window 60 s)
        ("gard", "expedition", Int64(-61), false),
        ("gard", "expedition", Int64(120), true),   // camera 120 s after (window 120 s)
        ("gard", "expedition", Int64(121), false),
        ("parkering", "expedition", Int64(5), false),  // same camera, another zone
        ("entre", "entre", Int64(5), true),         // the zone itself seen
    ] as [(String, String, Int64, Bool)])
    func videoVerification(cameraZone: String, alarmZone: String, offset: Int64, verified: Bool) {
        var rules = CorrelationRules()
        rules.videoBefore = .seconds(60)
        rules.videoAfter = .seconds(120)
        rules.cameraDetection = .observation
        var engine = P.engine(rules: rules, schedule: .alwaysClosed)
        var actions: [CorrelationAction] = []
        let alarmAt: Int64 = 1000
        let events: [(Int64, InboundMessage)] = [
            (alarmAt, P.panel(zone: ZoneID(alarmZone), seq: 1)),
            (alarmAt + offset, P.camera(id: "f1", zones: [ZoneID(cameraZone)])),
        ].sorted { $0.0 < $1.0 }
        for (at, message) in events { actions += engine.handle(message, now: P.sec(at)) }
        let verifiedIncidents = engine.openIncidents.filter { $0.verification == .video && $0.kind == .verifiedIntrusion }
        #expect(!verifiedIncidents.isEmpty == verified, "\(actions.decisions.map(\.reason))")
    }

    // MARK: Partitions

    /// An intrusion counts as "while armed" when its zone's partition is set: the let hall
    /// unset does not make the school's corridor unset, and the other way round.
    @Test(arguments: [
        ("hall", "hall", false),
        ("hall", "korridor", true),
        ("skola", "korridor", false),
        ("skola", "hall", true),
    ] as [(String, String, Bool)])
    func partitionArmState(unset: String, zone: String, dispatched: Bool) {
        var engine = P.engine()
        _ = engine.handle(P.panel(.close, seq: 1), now: P.t0)
        _ = engine.handle(P.panel(.open, partition: PartitionID(unset), user: "rektor", seq: 2), now: P.sec(1))
        let actions = engine.handle(P.panel(zone: ZoneID(zone), seq: 3), now: P.sec(2))
        #expect(!actions.dispatched.isEmpty == dispatched)
        #expect(actions.verdicts == [dispatched ? .dispatched : .unset])
    }

    // MARK: Users

    /// An opening inside the user's window is recorded; outside it (or by an unknown user) it
    /// is an unauthorised-opening incident.
    @Test(arguments: [
        // Wednesday 2026-11-25 20:00 Stockholm = 19:00 UTC: IBK may unset the hall 18–22 on Wednesdays.
        ("ibk", "hall", Int64(1_795_633_200_000), false),
        ("ibk", "hall", Int64(1_795_633_200_000 + 2 * 3_600_000), true),  // 22:00, the window's end
        ("ibk", "skola", Int64(1_795_633_200_000), true),                 // not its partition
        ("stad", "skola", Int64(1_795_633_200_000), true),                // cleaner on a Wednesday evening
        ("rektor", "skola", Int64(1_795_633_200_000), false),             // staff: any time
        ("#77", "skola", Int64(1_795_633_200_000), true),                 // unknown user
    ] as [(String, String, Int64, Bool)])
    func openingAuthorisation(user: String, partition: String, at ms: Int64, incident: Bool) {
        var engine = P.engine()
        let at = Timestamp(millisecondsSinceEpoch: ms)
        let actions = engine.handle(P.panel(.open, partition: PartitionID(partition), user: UserID(user), seq: 1), now: at)
        #expect(actions.transitions.contains { $0.kind == .unauthorisedOpening } == incident)
        #expect(actions.verdicts == [.opening])
        #expect((actions.decisions.first?.incident != nil) == incident)
        #expect(!actions.dispatched.isEmpty == incident)  // unauthorised opening is tamper priority: dispatched
    }

    // MARK: Late to close

    /// A partition unset past its arm deadline is a late-to-close incident (technical, not
    /// dispatched), resolved when the partition is set, recording how late.
    @Test func lateToCloseIsAnIncidentResolvedOnArming() throws {
        // Open 07–18 with a 30 min arm grace; the hall is unset by the letting and left so.
        var engine = P.engine(schedule: TestSchedule.daytime.withArmGrace(.minutes(30)))
        let evening = Timestamp(millisecondsSinceEpoch: 1_795_633_200_000)  // 20:00 Stockholm
        _ = engine.handle(P.panel(.open, partition: "hall", user: "ibk", seq: 1), now: evening - .hours(2))
        var raised: [IncidentTransition] = []
        var now = evening - .hours(2)
        while now < evening {
            now = now + .minutes(1)
            raised += engine.tick(now: now).transitions
        }
        let late = try #require(raised.first)
        #expect(late.kind == .lateToClose)
        #expect(late.priority == .trouble)
        #expect(late.time == evening - .minutes(90))  // closed 18:00 Stockholm, 30 min arm grace
        #expect(engine.openIncidents.map(\.kind) == [.lateToClose])
        let armed = engine.handle(P.panel(.close, partition: "hall", user: "ibk", seq: 2), now: evening)
        let resolved = try #require(armed.transitions.first)
        #expect(resolved.to == .closed)
        #expect(resolved.cause.contains("armed by IBK"))
        #expect(engine.openIncidents.isEmpty)
    }

    // MARK: Flapping

    /// Exactly `changes` alarm/restore changes within the window make the zone flap; one fewer does not.
    @Test(arguments: [(5, false), (6, true)])
    func flappingThreshold(changes: Int, flapping: Bool) {
        var engine = P.engine()
        var codes: [String] = []
        for i in 0...changes {
            codes += engine.handle(P.panel(zone: "korridor", seq: UInt64(i + 1), restore: i % 2 == 1), now: P.sec(Int64(i) * 60)).warningCodes
        }
        #expect(codes.contains("flapping") == flapping)
    }

    /// Under verify-first, a detector that toggles every minute for a quarter of an hour
    /// yields exactly one incident, reclassified as a flapping fault, and no dispatch.
    @Test func flappingDetectorYieldsOneIncidentAndNoDispatch() {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = .verifyFirst(minutes: 5)
        var engine = P.engine(rules: rules)
        var all: [CorrelationAction] = []
        for minute in 0..<15 {
            all += engine.handle(P.panel(zone: "korridor", seq: UInt64(2 * minute + 1)), now: P.sec(Int64(minute) * 60))
            all += engine.handle(P.panel(zone: "korridor", seq: UInt64(2 * minute + 2), restore: true), now: P.sec(Int64(minute) * 60 + 30))
        }
        all += engine.tick(now: P.sec(20 * 60))
        #expect(all.dispatched.isEmpty)
        let opened = Set(all.transitions.filter { $0.from == nil }.map(\.incident))
        #expect(opened.count == 1)
        #expect(engine.openIncidents.map(\.kind) == [.flapping])
        #expect(all.verdicts.filter { $0 == .flapping }.count > 5)
    }

    // MARK: Unverified intrusions

    /// Verify first: a lone PIR waits; a second zone within the wait dispatches it verified;
    /// nothing within the wait dispatches it unverified at the wait's end.
    @Test(arguments: [(Int64(4 * 60), true), (nil as Int64?, false)])
    func verifyFirst(secondZoneAfter: Int64?, verified: Bool) {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = .verifyFirst(minutes: 5)
        var engine = P.engine(rules: rules)
        let lone = engine.handle(P.panel(zone: "korridor", seq: 1), now: P.t0)
        #expect(lone.dispatched.isEmpty)
        #expect(lone.verdicts == [.awaitingVerification])
        var later: [CorrelationAction] = []
        if let after = secondZoneAfter { later += engine.handle(P.panel(zone: "expedition", seq: 2), now: P.sec(after)) }
        #expect(engine.tick(now: P.sec(5 * 60 - 1)).dispatched.isEmpty)
        later += engine.tick(now: P.sec(5 * 60))
        #expect(later.dispatched.count == 1)
        #expect(later.dispatched.first?.priority == (verified ? .verifiedIntrusion : .unverifiedIntrusion))
    }

    @Test func directedCheckInsteadOfDispatch() {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = UnverifiedIntrusionPolicy(action: .directedCheck)
        var engine = P.engine(rules: rules)
        let actions = engine.handle(P.panel(zone: "korridor", seq: 1), now: P.t0)
        #expect(actions.dispatched.isEmpty)
        #expect(actions.contains { if case .directedCheck(let site, _, _) = $0 { site == P.site } else { false } })
        #expect(actions.verdicts == [.directedCheck])
    }

    // MARK: Restore-cancel

    /// The zone's own delay wins over the kind's: the main entrance is not held at all.
    @Test(arguments: [("entre", 0 as Int64), ("korridor", 0), ("expedition", 0)] as [(String, Int64)])
    func zoneRestoreCancel(zone: String, held: Int64) {
        var rules = CorrelationRules()
        rules.restoreCancel = [.door: .seconds(30), .pir: .seconds(0)]
        var engine = P.engine(rules: rules)
        let actions = engine.handle(P.panel(zone: ZoneID(zone), seq: 1), now: P.t0)
        #expect(actions.dispatched.count == 1, "\(actions.decisions.map(\.rule))")
    }

    @Test func doorZoneHeldByKind() {
        var rules = CorrelationRules()
        rules.restoreCancel = [.pir: .seconds(20)]
        var engine = P.engine(rules: rules)
        let held = engine.handle(P.panel(zone: "korridor", seq: 1), now: P.t0)
        #expect(held.verdicts == [.heldForRestore])
        let restored = engine.handle(P.panel(zone: "korridor", seq: 2, restore: true), now: P.sec(19))
        #expect(restored.verdicts == [.restoreCancelled])
        #expect(engine.tick(now: P.sec(60)).dispatched.isEmpty)
    }

    // MARK: Supervision

    /// A device is in fault after missed × interval + grace, not a millisecond before.
    @Test(arguments: [(Int64(3 * 60 + 29), false), (Int64(3 * 60 + 30), true)])
    func supervisionGrace(at seconds: Int64, fault: Bool) {
        var engine = Fixture.engine(directory: Fixture.supervised)
        _ = engine.tick(now: Fixture.t0)
        #expect(engine.tick(now: Fixture.sec(seconds)).warningCodes.contains("device-offline") == fault)
    }

    @Test func supervisionCategoryNamesTheInterval() {
        #expect(SupervisionCategory.sp4.intervalSeconds == 180)
        #expect(SupervisionCategory.sp6.intervalSeconds == 20)
        #expect(SupervisionCategory.dp3.intervalSeconds == 180)
        let directory = SiteDirectory(WatchConfiguration(sites: [
            SiteConfiguration(
                id: "s", name: "S", kind: .school, address: "a", location: Coordinate(latitude: 59.5, longitude: 17.6),
                devices: [DeviceConfiguration(id: "panel", kind: .panel, supervisionCategory: .sp5)]),
        ]))
        var engine = CorrelationEngine(directory: directory, schedule: TestSchedule.alwaysClosed)
        _ = engine.tick(now: Fixture.t0)
        #expect(engine.tick(now: Fixture.sec(3 * 90 + 29)).warningCodes.isEmpty)
        #expect(engine.tick(now: Fixture.sec(3 * 90 + 30)).warningCodes == ["device-offline"])
    }

    // MARK: Priorities

    @Test func priorityOfAKindIsConfigurable() {
        var rules = CorrelationRules()
        rules.priorities[.unverifiedIntrusion] = .tamper
        var engine = P.engine(rules: rules)
        #expect(engine.handle(P.panel(zone: "korridor", seq: 1), now: P.t0).dispatched.map(\.priority) == [.tamper])
    }

    /// A dispatched, sequentially verified intrusion that a camera then sees is passed on again
    /// (the unit asked gets an update); an undispatched one is not.
    @Test(arguments: [(true, 1), (false, 0)])
    func videoAfterSequentialTellsTheUnit(dispatched: Bool, updates: Int) throws {
        var engine = P.engine()
        _ = engine.handle(P.panel(zone: "korridor", seq: 1), now: P.t0)
        let second = engine.handle(P.panel(zone: "expedition", seq: 2), now: P.sec(10))
        let incident = try #require(second.dispatched.last)
        #expect(incident.verification == .sequential)
        if dispatched { _ = engine.dispatched(incident.id, now: P.sec(11)) }
        let video = engine.handle(P.camera(id: "c1", zones: ["gard"]), now: P.sec(20))
        #expect(video.dispatched.filter { $0.verification == .video }.count == updates)
    }

    // MARK: Explanations

    /// Every alarm leaves exactly one decision with its rule and inputs.
    @Test func everyAlarmLeavesOneDecision() {
        var engine = P.engine()
        let messages: [InboundMessage] = [
            P.panel(zone: "korridor", seq: 1), P.panel(zone: "korridor", seq: 1), P.panel(.test, seq: 2),
            P.camera(id: "c1", zones: ["gard"]), P.panel(.open, partition: "hall", user: "ibk", seq: 3),
        ]
        for (i, message) in messages.enumerated() {
            let decisions = engine.handle(message, now: P.sec(Int64(i))).decisions
            #expect(decisions.count == 1)
            #expect(decisions.allSatisfy { !$0.rule.isEmpty && !$0.reason.isEmpty })
        }
        #expect(engine.counters.decisions.values.reduce(0, +) == messages.count)
    }
}
