import Testing
@testable import PropertyWatchCore

/// The dispatch side wired through `Watch`: the correlation engine follows every move the
/// coordinator makes (no `invalid-transition`), however a unit is re-used, and is the one
/// owner of the incident's state.
@Suite struct WatchDispatchTests {
    /// Four schools with a PIR and a panel each (no supervision); P1, P2, P3 on 18–06.
    static let directory: SiteDirectory = {
        let sites = (0..<4).map { i in
            SiteConfiguration(
                id: SiteID("site-\(i)"), name: "Site \(i)", kind: .school, address: "Väg \(i)",
                location: Coordinate(latitude: 59.5 + Double(i) / 100, longitude: 17.6),
                zones: [ZoneConfiguration(id: "a", name: "A")],
                devices: [DeviceConfiguration(id: "panel", kind: .panel), DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a")])
        }
        let shift = ShiftConfiguration(id: "night", units: ["P1", "P2", "P3"], weekdays: Set(1...7), start: LocalTime(hour: 18), end: LocalTime(hour: 6))
        let patrol = PatrolConfiguration(
            units: [UnitConfiguration(id: "P1", callSign: "31"), UnitConfiguration(id: "P2", callSign: "32"), UnitConfiguration(id: "P3", callSign: "33")],
            shifts: [shift], escalation: EscalationConfiguration(centralWebhookURL: "http://127.0.0.1:9/example", onCallContact: "example"))
        return SiteDirectory(WatchConfiguration(sites: sites, patrol: patrol))
    }()

    func alarm(_ site: Int, _ cls: EventClass, seq: UInt64, at t: Timestamp) -> InboundMessage {
        .alarm(AlarmEvent(site: SiteID("site-\(site)"), device: "pir-1", eventClass: cls, sequence: seq, eventID: "s\(site)-\(seq)", deviceTime: t))
    }

    func reply(_ r: GuardRequest, _ kind: GuardReply.Kind, at t: Timestamp) -> InboundMessage {
        .reply(GuardReply(unit: r.unit, incident: r.incident, request: r.requestID, kind: kind, outcome: kind == .cleared ? .falseAlarm : nil, time: t))
    }

    @Test func aFireTakesABusyUnitAndTheQueuedIncidentIsServedAfterwards() throws {
        var watch = Watch(directory: Self.directory)
        let t0 = WatchTests.evening
        var all: [WatchAction] = []
        var requests: [GuardRequest] = []
        func feed(_ m: InboundMessage, _ t: Timestamp) {
            let actions = watch.handle(m, now: t)
            all += actions
            requests += actions.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
        }
        // Three unverified intrusions at three sites: every unit takes one and accepts.
        for s in 0..<3 { feed(alarm(s, .intrusion, seq: 1, at: t0 + .seconds(Int64(s))), t0 + .seconds(Int64(s))) }
        #expect(Set(requests.map(\.unit)) == ["P1", "P2", "P3"])
        for r in requests { feed(reply(r, .accepted, at: t0 + .seconds(10)), t0 + .seconds(10)) }
        // A fire at a fourth site: no unit is free, so one is taken from its intrusion.
        let fireAt = t0 + .seconds(20)
        feed(.alarm(AlarmEvent(site: "site-3", device: "panel", eventClass: .fire, sequence: 1, eventID: "f1", deviceTime: fireAt)), fireAt)
        let fire = try #require(requests.last)
        #expect(fire.priority == .fire)
        let codes = all.compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } }
        #expect(codes.contains("pre-empted"))
        #expect(codes.contains("queued"))
        let lower = try #require(requests.first { $0.unit == fire.unit && $0.incident != fire.incident })
        // The fire is handled; the unit is free again and goes back to the intrusion it left.
        for (i, kind) in [GuardReply.Kind.accepted, .arrived, .cleared].enumerated() {
            let t = fireAt + .seconds(10) + .minutes(Int64(10 * i))
            feed(reply(fire, kind, at: t), t)
        }
        let again = try #require(requests.last)
        #expect(again.incident == lower.incident)
        #expect(again.unit == fire.unit)
        #expect(again.requestID != lower.requestID)
        feed(reply(again, .accepted, at: fireAt + .minutes(21)), fireAt + .minutes(21))
        // Each request shows as one transition.
        let transitions = all.compactMap { if case .transition(let t) = $0 { t } else { nil } }
        #expect(transitions.filter { $0.to == .dispatched }.count == requests.count)
        #expect(!codes.contains("invalid-transition"))
        #expect(!all.contains { if case .warning(_, "invalid-transition", _) = $0 { true } else { false } })
        #expect(watch.openIncidents.first { $0.id == lower.incident }?.state == .acknowledged)
    }

    /// One owner: the coordinator reports dispatch facts and has no way to report a
    /// transition (`DispatchAction` has none); each fact becomes exactly one transition, made
    /// by the engine from its own state, numbered once.
    @Test func everyTransitionOfADispatchIsTheEnginesOnce() throws {
        var watch = Watch(directory: Self.directory)
        let t0 = WatchTests.evening
        var all = watch.handle(.alarm(AlarmEvent(site: "site-0", device: "panel", eventClass: .fire, sequence: 1, eventID: "f1", deviceTime: t0)), now: t0)
        let incident = try #require(watch.openIncidents.first)
        let request = try #require(all.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }.first)
        // The coordinator alone, fed the same incident and replies: facts, no transitions.
        var coordinator = DispatchCoordinator(directory: Self.directory)
        var facts = coordinator.handle(.incidentNeedsGuard(incident), now: t0).compactMap { if case .fact(let f) = $0 { f } else { nil } }
        for (i, kind) in [GuardReply.Kind.accepted, .enRoute, .arrived, .cleared].enumerated() {
            let t = t0 + .seconds(30) + .minutes(Int64(5 * i))
            all += watch.handle(reply(request, kind, at: t), now: t)
            facts += coordinator.handle(.reply(GuardReply(unit: request.unit, incident: request.incident, request: request.requestID, kind: kind,
                                                          outcome: kind == .cleared ? .falseAlarm : nil, time: t)), now: t)
                .compactMap { if case .fact(let f) = $0 { f } else { nil } }
        }
        #expect(facts.map(\.event) == [.dispatch, .acknowledge, nil, .arrive, .clear])
        let transitions = all.compactMap { if case .transition(let t) = $0 { t } else { nil } }
        #expect(transitions.map(\.from) == [nil, .new, .dispatched, .acknowledged, .acknowledged, .onSite])
        #expect(transitions.map(\.to) == [.new, .dispatched, .acknowledged, .acknowledged, .onSite, .cleared])
        #expect(transitions.map(\.sequence) == Array(1...6))
        #expect(Array(transitions.dropFirst().map(\.cause)) == facts.map(\.cause))
        #expect(Array(transitions.dropFirst().map(\.times)) == facts.map(\.times))
        #expect(watch.openIncidents.isEmpty)
    }

    /// A reply from a unit the coordinator has stood down changes no incident: the engine
    /// hears of replies only through the coordinator's facts.
    @Test func aStoodDownUnitsReplyChangesNothing() throws {
        var watch = Watch(directory: Self.directory)
        let t0 = WatchTests.evening
        var all = watch.handle(.alarm(AlarmEvent(site: "site-0", device: "panel", eventClass: .fire, sequence: 1, eventID: "f1", deviceTime: t0)), now: t0)
        let first = try #require(all.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }.first)
        all = watch.handle(reply(first, .declined, at: t0 + .seconds(10)), now: t0 + .seconds(10))
        let second = try #require(all.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }.first)
        #expect(second.unit != first.unit)
        _ = watch.handle(reply(second, .accepted, at: t0 + .seconds(20)), now: t0 + .seconds(20))
        // The unit that declined reports arriving and clearing anyway: it is told to stand
        // down (once), and the incident stays with the unit that has it.
        func codes(_ actions: [WatchAction]) -> [String] {
            actions.compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } }
        }
        let strayArrival = watch.handle(reply(first, .arrived, at: t0 + .minutes(1)), now: t0 + .minutes(1))
        #expect(codes(strayArrival) == ["stand-down"])
        let strayClear = watch.handle(reply(first, .cleared, at: t0 + .minutes(2)), now: t0 + .minutes(2))
        #expect(codes(strayClear).isEmpty)
        for stray in [strayArrival, strayClear] {
            #expect(!stray.contains { if case .transition = $0 { true } else { false } })
        }
        #expect(watch.openIncidents.map(\.state) == [.acknowledged])
        let arrived = watch.handle(reply(second, .arrived, at: t0 + .minutes(5)), now: t0 + .minutes(5))
        #expect(arrived.compactMap { if case .transition(let t) = $0 { "\(t.from!)→\(t.to)" } else { nil } } == ["acknowledged→onSite"])
    }
}
