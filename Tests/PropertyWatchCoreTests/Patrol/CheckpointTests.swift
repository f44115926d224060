import Testing
@testable import PropertyWatchCore

/// Stops done, late and missed; directed checks.
@Suite struct CheckpointTests {
    typealias F = PatrolFixture

    /// P1: s45 23:00–23:30, s47 23:40–00:10, s50 00:30–01:00, s52 01:30–02:00.
    func coordinator(units: [UnitConfiguration] = F.units("P1")) -> DispatchCoordinator {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [
            F.stop(45, (23, 0), (23, 30), dwell: 10), F.stop(47, (23, 40), (0, 10), dwell: 10),
            F.stop(50, (0, 30), (1, 0), dwell: 10), F.stop(52, (1, 30), (2, 0), dwell: 10),
        ])
        return DispatchCoordinator(directory: F.directory(units: units, routes: [route]))
    }

    @Test func missedThenLateThenGeofenceDone() throws {
        var c = coordinator()
        _ = c.tick(now: F.at(22, 50))
        #expect(c.nextDeadline == F.at(23, 30))
        #expect(c.tick(now: F.at(23, 29)).isEmpty)
        let missed = c.tick(now: F.at(23, 30))
        #expect(missed.warningCodes == ["missed-stop", "replan-proposed"])
        #expect(missed.warningMessages.first == "P1 missed Brohuset (r#0, window 23:00–23:30)")
        #expect(c.tick(now: F.at(23, 31)).isEmpty)  // once
        // The re-plan proposes a revisit, a pending stop of its own.
        #expect(c.tonight.coverage == NightCoverage(missed: 1, pending: 4))

        // A tag check-in at Brohuset at 23:42: the missed stop becomes late.
        let late = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(45), method: .tag, time: F.at(23, 42))), now: F.at(23, 42))
        #expect(late.warningCodes == ["late-stop"])
        #expect(late.warningMessages == ["P1 visited Brohuset at 23:42, 12 min after its window (23:00–23:30)"])
        #expect(c.tonight.stop("r#0")?.status == .late)
        #expect(c.tonight.stop("r#0")?.visitedAt == F.at(23, 42))
        #expect(c.tonight.stop("revisit-1")?.status == .done)
        #expect(c.tonight.unit("P1")?.atSite == F.site(45))
        #expect(c.tonight.unit("P1")?.nextStop == "r#1")
        // The same check-in replayed does not count for anything else.
        #expect(c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(45), method: .tag, time: F.at(23, 42))), now: F.at(23, 43)).isEmpty)

        // Geofence at s47: 40 m off the site, dwelling from 23:50; counts after one minute.
        var near = F.coordinate(47)
        near.latitude += 0.00036
        _ = c.handle(.position(UnitPosition(unit: "P1", position: near, speed: 0, time: F.at(23, 50))), now: F.at(23, 50))
        _ = c.handle(.position(UnitPosition(unit: "P1", position: near, speed: 0, time: F.at(23, 50, 30))), now: F.at(23, 50, 30))
        #expect(c.tonight.stop("r#1")?.status == .pending)
        #expect(c.nextDeadline == F.at(23, 51))
        _ = c.handle(.position(UnitPosition(unit: "P1", position: near, speed: 0, time: F.at(23, 51))), now: F.at(23, 51))
        #expect(c.tonight.stop("r#1")?.status == .done)
        #expect(c.tonight.stop("r#1")?.visitedAt == F.at(23, 50))

        // Driving past s50 for 30 s does not count; a stay credited by tick does.
        _ = c.handle(F.position("P1", 50, F.at(0, 20)), now: F.at(0, 20))
        _ = c.handle(F.position("P1", 49, F.at(0, 20, 30)), now: F.at(0, 20, 30))
        _ = c.tick(now: F.at(0, 22))
        #expect(c.tonight.stop("r#2")?.status == .pending)
        _ = c.handle(F.position("P1", 50, F.at(0, 35)), now: F.at(0, 35))
        #expect(c.tick(now: F.at(0, 36)).warningCodes.isEmpty)
        #expect(c.tonight.stop("r#2")?.status == .done)

        // s52 is missed at 02:00: its revisit is proposed (pending until P1 goes there).
        _ = c.tick(now: F.at(2, 0))
        #expect(c.tonight.coverage == NightCoverage(done: 3, late: 1, missed: 1, pending: 1))
    }

    @Test func aVisitWellBeforeTheWindowDoesNotCount() {
        var c = coordinator()
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(50), method: .tag, time: F.at(23, 45))), now: F.at(23, 45))
        #expect(c.tonight.stop("r#2")?.status == .pending)
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(50), method: .tag, time: F.at(0, 22))), now: F.at(0, 22))
        #expect(c.tonight.stop("r#2")?.status == .done)  // within the 10-minute early tolerance
    }

    @Test func directedCheckGoesToTheRouteWithSlack() throws {
        // P1 is at s44 with slack before s47 (23:40); P2 is free but would add its whole visit.
        var c = coordinator(units: F.units("P1", "P2"))
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(45), method: .tag, time: F.at(23, 5))), now: F.at(23, 5))
        _ = c.handle(F.position("P1", 44, F.at(23, 15)), now: F.at(23, 15))
        _ = c.handle(F.position("P2", 45, F.at(23, 15)), now: F.at(23, 15))
        let input = DispatchInput.directedCheck(site: F.site(48), notBefore: nil, by: "operator anna", reason: "repeated vandalism")
        let actions = c.handle(input, now: F.at(23, 15))
        #expect(actions.warningCodes == ["directed-check"])
        #expect(actions.warningMessages == ["Site 48 added to P1's route as directed-1 (asked by operator anna: repeated vandalism); planned arrival 23:19"])
        let route = try #require(c.tonight.route(of: "P1"))
        #expect(route.stops.map(\.id) == ["r#0", "directed-1", "r#1", "r#2", "r#3"])
        let stop = try #require(c.tonight.stop("directed-1"))
        #expect(stop.windowStart == F.at(23, 15))
        #expect(stop.windowEnd == F.at(6, 0))  // end of P1's shift
        #expect(stop.directed == DirectedCheck(by: "operator anna", reason: "repeated vandalism", requestedAt: F.at(23, 15)))
        #expect(c.tonight.unit("P1")?.nextStop == "directed-1")
        // Replayed: not inserted twice.
        #expect(c.handle(input, now: F.at(23, 16)).isEmpty)
        // Tracked like any stop.
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(48), method: .tag, time: F.at(23, 20))), now: F.at(23, 20))
        #expect(c.tonight.stop("directed-1")?.status == .done)
    }

    @Test func directedCheckNotBeforeIsPlacedWhereItDelaysNothing() throws {
        var c = coordinator()
        _ = c.handle(F.position("P1", 45, F.at(23, 5)), now: F.at(23, 5))
        // From s45 at 23:05: s45 (23:05–23:15), s47 23:40–23:50, s50 00:30–00:40, s52 01:30.
        // A check of s48 not before 00:00 fits between s47 and s50 without delaying s50.
        let actions = c.handle(.directedCheck(site: F.site(48), notBefore: F.at(0, 0), by: "ops", reason: "window smashed"), now: F.at(23, 5))
        #expect(actions.warningMessages.first?.hasSuffix("planned arrival 00:00") == true)
        #expect(c.tonight.route(of: "P1")?.stops.map(\.id) == ["r#0", "r#1", "directed-1", "r#2", "r#3"])
        #expect(c.tonight.stop("directed-1")?.windowStart == F.at(0, 0))
    }

    @Test func directedCheckWithNobodyOnShift() {
        var c = coordinator()
        let actions = c.handle(.directedCheck(site: F.site(48), notBefore: nil, by: "ops", reason: "x"), now: F.at(20))
        #expect(actions.warningCodes == ["nobody-available"])
        #expect(c.handle(.directedCheck(site: "nowhere", notBefore: nil, by: "ops", reason: "x"), now: F.at(23)).warningCodes == ["unknown-site"])
    }
}

extension CheckpointTests {
    @Test func aUnitWaitingInsideTheGeofenceIsCreditedWhenTheWindowOpens() {
        var c = coordinator()
        // At s45 from 22:40 (window 23:00, 10 minutes' early tolerance): counts from 22:50.
        _ = c.handle(F.position("P1", 45, F.at(22, 40)), now: F.at(22, 40))
        #expect(c.nextDeadline == F.at(22, 51))
        #expect(c.tick(now: F.at(22, 50, 59)).isEmpty)
        #expect(c.tonight.stop("r#0")?.status == .pending)
        _ = c.tick(now: F.at(22, 51))
        #expect(c.tonight.stop("r#0")?.status == .done)
        #expect(c.tonight.stop("r#0")?.visitedAt == F.at(22, 50))
        #expect(c.nextDeadline == F.at(0, 10))  // next: s47's window end
    }
}
