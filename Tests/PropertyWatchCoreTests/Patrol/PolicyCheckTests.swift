import Testing
@testable import PropertyWatchCore

/// Directed checks the rules ask for, through `Watch`: a supervision fault, an unverified
/// intrusion under `unverified_intrusion: directed-check`, a late-to-close under
/// `late_to_close_check`. Each is put on the route where it loses least and withdrawn, with
/// the car told by its republished plan, when it is moot.
@Suite struct PolicyCheckTests {
    static func directory(_ rules: CorrelationRules = CorrelationRules()) -> SiteDirectory {
        let sites = (0..<2).map { i in
            SiteConfiguration(
                id: SiteID("site-\(i)"), name: "Site \(i)", kind: .school, address: "Väg \(i)",
                location: Coordinate(latitude: 59.5 + Double(i) / 100, longitude: 17.6),
                zones: [ZoneConfiguration(id: "a", name: "A")],
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 60),
                    DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a"),
                ])
        }
        let shift = ShiftConfiguration(id: "night", units: ["P1"], weekdays: Set(1...7), start: LocalTime(hour: 18), end: LocalTime(hour: 6))
        let patrol = PatrolConfiguration(units: [UnitConfiguration(id: "P1", callSign: "31")], shifts: [shift])
        return SiteDirectory(WatchConfiguration(sites: sites, patrol: patrol, rules: rules))
    }

    static let t0 = WatchTests.evening

    static func plans(_ actions: [WatchAction]) -> [UnitPlan] {
        actions.compactMap { if case .publishPlan(let p) = $0 { p } else { nil } }
    }

    static func codes(_ actions: [WatchAction]) -> [String] {
        actions.compactMap { if case .warning(_, let code, _) = $0 { code } else { nil } }
    }

    /// A watch whose P1 is parked next to site-1 and whose panels beat once at `t0`.
    static func started(_ rules: CorrelationRules = CorrelationRules(), schedule: (any ArmSchedule)? = nil) -> Watch {
        var watch = Watch(directory: directory(rules), schedule: schedule)
        _ = watch.handle(.position(UnitPosition(unit: "P1", position: Coordinate(latitude: 59.51, longitude: 17.6), speed: 0, time: t0)), now: t0)
        for s in 0..<2 {
            _ = watch.handle(.heartbeat(Heartbeat(site: SiteID("site-\(s)"), device: "panel", deviceTime: t0)), now: t0)
        }
        return watch
    }

    @Test func aSupervisionFaultAddsACheckWithdrawnWhenTheDeviceIsBack() throws {
        var watch = Self.started()
        // site-1 keeps beating; site-0's panel is silent: in fault after 3 × 60 s + 30 s.
        var actions: [WatchAction] = []
        for m in Int64(1)...5 {
            let t = Self.t0 + .minutes(m)
            actions += watch.handle(.heartbeat(Heartbeat(site: "site-1", device: "panel", deviceTime: t)), now: t)
        }
        #expect(Self.codes(actions).contains("directed-check"))
        let added = try #require(Self.plans(actions).last)
        let stop = try #require(added.stops.first { $0.directed != nil })
        #expect(stop.site == "site-0")
        #expect(stop.directed?.by == "policy")
        #expect(stop.directed?.reason.contains("supervision fault: panel silent") == true)
        let decision = try #require(actions.compactMap { if case .decision(let d) = $0 { d } else { nil } }.last)
        #expect(decision.reason.contains("the patrol is asked to check the site"))

        let t = Self.t0 + .minutes(6)
        let back = watch.handle(.heartbeat(Heartbeat(site: "site-0", device: "panel", deviceTime: t)), now: t)
        #expect(Self.codes(back).contains("check-withdrawn"))
        let withdrawn = try #require(Self.plans(back).last)
        #expect(withdrawn.stops.allSatisfy { $0.directed == nil })
        #expect(withdrawn.reason.contains("withdrawn:"))
        #expect(withdrawn.reason.contains("heard again"))
    }

    @Test func noCheckWhenThePolicySaysNo() {
        var rules = CorrelationRules()
        rules.supervisionDirectedCheck = false
        var watch = Self.started(rules)
        let actions = watch.tick(now: Self.t0 + .minutes(5))
        #expect(Self.codes(actions).contains("device-offline"))
        #expect(!Self.codes(actions).contains("directed-check"))
        #expect(Self.plans(actions).isEmpty)
    }

    @Test func anUnverifiedIntrusionUnderACheckPolicyIsPutOnTheRoute() throws {
        var rules = CorrelationRules()
        rules.unverifiedIntrusion = UnverifiedIntrusionPolicy(action: .directedCheck)
        rules.supervisionDirectedCheck = false
        var watch = Self.started(rules, schedule: TestSchedule.alwaysClosed)
        let t = Self.t0 + .seconds(30)
        let actions = watch.handle(.alarm(AlarmEvent(site: "site-0", device: "pir-1", eventClass: .intrusion, sequence: 1, eventID: "e1", deviceTime: t)), now: t)
        #expect(!actions.contains { if case .requestGuard = $0 { true } else { false } })
        let plan = try #require(Self.plans(actions).last)
        let stop = try #require(plan.stops.first { $0.directed != nil })
        #expect(stop.site == "site-0")
        #expect(watch.tonight.routes.flatMap(\.stops).contains { $0.id == stop.id && $0.status == .pending })
        let incident = try #require(watch.openIncidents.first)
        let closed = watch.close(incident: incident.id, by: "anna", reason: "caretaker on site", now: t + .minutes(1))
        #expect(Self.codes(closed).contains("check-withdrawn"))
        #expect(Self.plans(closed).last?.stops.contains { $0.directed != nil } == false)
    }

    /// Open until 22:00 local (an hour before `t0`); the partition was unset at 21:00.
    static func lateToClose(_ check: LateToCloseCheck) -> (Watch, [WatchAction]) {
        var rules = CorrelationRules()
        rules.lateToCloseCheck = check
        rules.supervisionDirectedCheck = false
        let closing = t0 - .hours(1)
        var watch = Self.started(rules, schedule: TestSchedule { _, time in time < closing })
        let opened = t0 - .hours(2)
        _ = watch.handle(.alarm(AlarmEvent(site: "site-0", device: "panel", eventClass: .open, sequence: 1, eventID: "o1", deviceTime: opened)), now: opened)
        return (watch, watch.tick(now: t0 + .minutes(2)))
    }

    @Test func aLateToCloseProposesACheckByDefault() throws {
        let (_, actions) = Self.lateToClose(.propose)
        #expect(Self.codes(actions).contains("late-to-close"))
        #expect(Self.codes(actions).contains("check-proposed"))
        #expect(!Self.codes(actions).contains("directed-check"))
    }

    @Test func aLateToCloseCheckIsWithdrawnWhenThePartitionIsSet() throws {
        var (watch, actions) = Self.lateToClose(.check)
        #expect(Self.codes(actions).contains("directed-check"))
        #expect(Self.plans(actions).last?.stops.contains { $0.directed != nil && $0.site == "site-0" } == true)
        let t = Self.t0 + .minutes(10)
        let set = watch.handle(.alarm(AlarmEvent(site: "site-0", device: "panel", eventClass: .close, sequence: 2, eventID: "c1", deviceTime: t)), now: t)
        #expect(Self.codes(set).contains("check-withdrawn"))
        let plan = try #require(Self.plans(set).last)
        #expect(plan.reason.contains("resolved: armed"))
    }
}
