import Testing
@testable import PropertyWatchCore

@Suite struct WatchTests {
    /// Tuesday 2026-11-24 22:00 Stockholm (CET, UTC+1).
    static let evening = StockholmTime.resolve(LocalDate(year: 2026, month: 11, day: 24), LocalTime(hour: 22))

    static let directory: SiteDirectory = {
        let school = SiteConfiguration(
            id: "broskolan", name: "Broskolan", kind: .school, address: "Skolvägen 1, Bro",
            location: Coordinate(latitude: 59.512, longitude: 17.632),
            zones: [ZoneConfiguration(id: "a", name: "A-huset"), ZoneConfiguration(id: "b", name: "B-huset")],
            devices: [
                DeviceConfiguration(id: "pir-a", kind: .pir, zone: "a"),
                DeviceConfiguration(id: "pir-b", kind: .pir, zone: "b"),
                DeviceConfiguration(id: "smoke-a", kind: .smoke, zone: "a"),
            ])
        let everyNight = ShiftConfiguration(id: "night", units: ["P1", "P2"], weekdays: Set(1...7), start: LocalTime(hour: 18), end: LocalTime(hour: 6))
        let patrol = PatrolConfiguration(
            units: [UnitConfiguration(id: "P1", callSign: "Väktare 31"), UnitConfiguration(id: "P2", callSign: "Väktare 32")],
            shifts: [everyNight],
            escalation: EscalationConfiguration(centralWebhookURL: "http://127.0.0.1:9/example", onCallContact: "+46 8 000 000 (example)"))
        return SiteDirectory(WatchConfiguration(sites: [school], patrol: patrol))
    }()

    func alarm(_ device: DeviceID, _ seq: UInt64, _ cls: EventClass = .intrusion, zone: ZoneID, at t: Timestamp) -> InboundMessage {
        .alarm(AlarmEvent(site: "broskolan", device: device, zone: zone, eventClass: cls, sequence: seq, eventID: "\(device)-\(seq)", deviceTime: t))
    }

    func requests(_ actions: [WatchAction]) -> [GuardRequest] {
        actions.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
    }

    func warnings(_ actions: [WatchAction]) -> [String] {
        actions.compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } }
    }

    @Test func verifiedIntrusionRequestsOneUnitOnce() {
        var watch = Watch(directory: Self.directory)
        let t0 = Self.evening
        var all = watch.handle(alarm("pir-a", 1, zone: "a", at: t0), now: t0)
        // A lone PIR is dispatched at the lower, unverified priority (the default policy).
        #expect(requests(all).first?.priority == .unverifiedIntrusion)
        all += watch.handle(alarm("pir-b", 1, zone: "b", at: t0 + .seconds(40)), now: t0 + .seconds(40))
        // A retransmission of the first event changes nothing.
        let again = watch.handle(alarm("pir-a", 1, zone: "a", at: t0), now: t0 + .seconds(41))
        #expect(requests(again).isEmpty)
        // The second detector verifies: the incident's priority rises, but the unit already
        // asked is not asked again.
        #expect(requests(all).count == 1)
        let raised = all.contains { if case .transition(let t) = $0 { t.priority == .verifiedIntrusion } else { false } }
        #expect(raised)
        #expect(watch.openIncidents.first?.verification == .sequential)
        #expect(!warnings(all + again).contains("invalid-transition"))
        let dispatched = all.contains { if case .transition(let t) = $0 { t.to == .dispatched } else { false } }
        #expect(dispatched)
    }

    @Test func unansweredRequestMovesToTheNextUnitThenTheCentral() {
        var watch = Watch(directory: Self.directory)
        let t0 = Self.evening
        var all = watch.handle(alarm("smoke-a", 1, .fire, zone: "a", at: t0), now: t0)
        let first = requests(all)
        #expect(first.count == 1)
        #expect(first.first?.priority == .fire)
        var now = t0
        for _ in 0..<10 {
            guard let deadline = watch.nextDeadline, deadline < t0 + .minutes(10) else { break }
            now = deadline
            all += watch.tick(now: now)
        }
        let sent = requests(all)
        #expect(Set(sent.map(\.unit)) == ["P1", "P2"])
        #expect(Set(sent.map(\.requestID)).count == sent.count)
        let central = all.contains { if case .notifyCentral = $0 { true } else { false } }
        #expect(central)
        #expect(!warnings(all).contains("invalid-transition"))
    }

    @Test func aWebhookAttemptInFlightAtRestartCountsAsFailedAndIsRetried() {
        var watch = Watch(directory: Self.directory)
        let t0 = Self.evening
        var all = watch.handle(alarm("smoke-a", 1, .fire, zone: "a", at: t0), now: t0)
        var now = t0
        while !all.contains(where: { if case .notifyCentral = $0 { true } else { false } }), let deadline = watch.nextDeadline {
            now = deadline
            all += watch.tick(now: now)
        }
        let keys = all.compactMap { if case .notifyCentral(_, let key, _) = $0 { key } else { nil } }
        #expect(keys.count == 1)
        // The daemon is killed while the webhook call is under way; it never reports back.
        let restart = now + .minutes(1)
        let afterRestart = watch.resume(at: restart)
        #expect(warnings(afterRestart).contains("central-delivery-failed"))
        var retried: [WatchAction] = []
        while retried.isEmpty, let deadline = watch.nextDeadline, deadline < restart + .hours(1) {
            retried = watch.tick(now: deadline).filter { if case .notifyCentral = $0 { true } else { false } }
        }
        let retryKeys = retried.compactMap { if case .notifyCentral(_, let key, _) = $0 { key } else { nil } }
        #expect(retryKeys == keys)
    }

    @Test func acceptedRequestIsFollowedToClearance() throws {
        var watch = Watch(directory: Self.directory)
        let t0 = Self.evening
        var all = watch.handle(alarm("smoke-a", 1, .fire, zone: "a", at: t0), now: t0)
        let request = try #require(requests(all).first)
        for (i, kind) in [GuardReply.Kind.accepted, .arrived, .cleared].enumerated() {
            let t = t0 + .seconds(Int64(10 + i * 300))
            let reply = GuardReply(unit: request.unit, incident: request.incident, kind: kind,
                                   outcome: kind == .cleared ? .falseAlarm : nil, time: t)
            all += watch.handle(.reply(reply), now: t)
        }
        let states = all.compactMap { if case .transition(let t) = $0 { t.to } else { nil } }
        #expect(states.filter { $0 == .acknowledged }.count == 1)
        #expect(states.filter { $0 == .onSite }.count == 1)
        #expect(states.filter { $0 == .cleared }.count == 1)
        #expect(watch.openIncidents.isEmpty)
        #expect(requests(all).count == 1)
    }

    @Test func replayingTheSameInputsGivesTheSameActions() {
        let t0 = Self.evening
        let inputs: [(InboundMessage, Timestamp)] = [
            (alarm("pir-a", 1, zone: "a", at: t0), t0),
            (alarm("pir-b", 1, zone: "b", at: t0), t0 + .seconds(30)),
            (alarm("smoke-a", 1, .fire, zone: "a", at: t0), t0 + .minutes(3)),
            (alarm("pir-a", 2, zone: "a", at: t0), t0 + .minutes(20)),
        ]
        var live = Watch(directory: Self.directory)
        live.resume(at: t0 - .minutes(5))
        var liveRequests: [GuardRequest] = []
        for (message, now) in inputs {
            // Live: extra ticks in between, as the idle pipeline does.
            liveRequests += requests(live.tick(now: now - .seconds(1)))
            liveRequests += requests(live.handle(message, now: now))
        }
        var replay = Watch(directory: Self.directory)
        replay.resume(at: t0 - .minutes(5))
        var replayRequests: [GuardRequest] = []
        for (message, now) in inputs { replayRequests += requests(replay.handle(message, now: now)) }
        #expect(liveRequests.map(\.requestID) == replayRequests.map(\.requestID))
        #expect(live.correlation == replay.correlation)
    }
}
