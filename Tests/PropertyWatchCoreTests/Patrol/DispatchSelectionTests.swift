import Testing
@testable import PropertyWatchCore

/// Which unit is asked, and what the request says.
@Suite struct DispatchSelectionTests {
    typealias F = PatrolFixture

    @Test func unitOnItsRouteNearbyIsChosenOverAFartherFreeUnit() throws {
        let route = RouteConfiguration(id: "north", unit: "P1", stops: [
            F.stop(40, (23, 0), (23, 30), dwell: 10), F.stop(44, (23, 40), (0, 10), dwell: 10),
        ])
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1", "P2"), routes: [route]))
        _ = c.handle(F.position("P1", 40, F.at(23, 5)), now: F.at(23, 5))
        _ = c.handle(F.position("P2", 55, F.at(23, 5)), now: F.at(23, 5))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 43, .unverifiedIntrusion, openedAt: F.at(23, 5))), now: F.at(23, 5))
        let request = try #require(actions.requests.first)
        #expect(actions.requests.count == 1)
        #expect(request.unit == "P1")
        #expect(request.requestID == "I1-1")
        #expect(request.attempt == 1)
        // It finishes its 10-minute stop at s40 first (23:15) and is at s43 at 23:18: cheaper
        // (780 s) than going now (ETA 3 min + 0.5 × 21 min delay to s40 = 810 s).
        #expect(request.eta == F.at(23, 18))
        #expect(request.siteName == "Site 43")
        #expect(request.address == "Gatan 43, Kungsängen")
        #expect(request.zones == ["z1"])
        #expect(request.triggers == ["intrusion pir-1 (zone z1)"])
        #expect(actions.facts.map(\.to) == [.dispatched])
        #expect(actions.facts.first?.kind == .dispatched(unit: "P1", requestID: "I1-1"))
        #expect(c.tonight.unit("P1")?.incident == "I1")
    }

    /// P1 (at s40) has s47 at 23:07 and would reach the incident at s46 in 6 minutes but
    /// delay that stop by 15; P2 is free 8 minutes away. The delay weight decides.
    @Test(arguments: [(0.0, "P1"), (0.1, "P1"), (2.0, "P2")])
    func delayWeightTradesEtaAgainstRouteDelay(weight: Double, chosen: String) throws {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [F.stop(47, (23, 7), (23, 40), dwell: 10)])
        var c = DispatchCoordinator(
            directory: F.directory(units: F.units("P1", "P2"), routes: [route]),
            policy: DispatchPolicy(delayWeight: weight))
        _ = c.handle(F.position("P1", 40, F.at(23)), now: F.at(23))
        _ = c.handle(F.position("P2", 54, F.at(23)), now: F.at(23))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 46, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        #expect(actions.requests.map(\.unit) == [UnitID(chosen)])
    }

    @Test func requestCauseCarriesTheExactDelayToTheRemainingStops() throws {
        // Same geometry as RoutePlannerTests: the visit first delays s42 by 12 and s43 by 8 min.
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [
            F.stop(42, (23, 5), (23, 30), dwell: 10), F.stop(43, (23, 20), (23, 50), dwell: 5),
        ])
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1"), routes: [route]))
        _ = c.handle(F.position("P1", 40, F.at(23)), now: F.at(23))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 41, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        let request = try #require(actions.requests.first)
        #expect(request.eta == F.at(23, 1))
        let cause = try #require(actions.facts.first?.cause)
        #expect(cause == "requested P1 (I1-1, ETA 1 min, delays its route by 20 min)")
    }

    @Test func tiesGoToTheLowerUnitID() {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P3", "P2")))
        _ = c.handle(F.position("P3", 50, F.at(23)), now: F.at(23))
        _ = c.handle(F.position("P2", 50, F.at(23)), now: F.at(23))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 52, .fire, openedAt: F.at(23))), now: F.at(23))
        #expect(actions.requests.map(\.unit) == ["P2"])
    }

    @Test func requiredCapabilityFiltersUnits() {
        let units = [
            UnitConfiguration(id: "P1", callSign: "P1"),
            UnitConfiguration(id: "P2", callSign: "P2", capabilities: ["keys"]),
        ]
        var c = DispatchCoordinator(
            directory: F.directory(units: units),
            policy: DispatchPolicy(requiredCapabilities: [.verifiedIntrusion: ["keys"]]))
        _ = c.handle(F.position("P1", 50, F.at(23)), now: F.at(23))
        _ = c.handle(F.position("P2", 58, F.at(23)), now: F.at(23))
        let fire = c.handle(.incidentNeedsGuard(F.incident("I1", at: 50, .fire, openedAt: F.at(23))), now: F.at(23))
        #expect(fire.requests.map(\.unit) == ["P1"])
        let verified = c.handle(.incidentNeedsGuard(F.incident("I2", at: 50, .verifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        #expect(verified.requests.map(\.unit) == ["P2"])
    }

    @Test func unitsOffShiftAreNotAsked() {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1")))
        // 21:00 is before the 22–06 shift.
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(21))), now: F.at(21))
        #expect(actions.requests.isEmpty)
        #expect(actions.warningCodes == ["nobody-available", "on-call-notified"])
        #expect(actions.centralKeys == ["I1-central"])
        #expect(actions.facts.map(\.to) == [.escalated])
    }

    @Test func etaFromPositionOrElseFromTheNextStop() {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [F.stop(44, (23, 0), (23, 30), dwell: 10)])
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1", "P2"), routes: [route]))
        _ = c.tick(now: F.at(22, 30))
        #expect(c.eta(of: "P1", to: F.site(50), now: F.at(22, 30)) == F.at(22, 36))
        #expect(c.eta(of: "P2", to: F.site(50), now: F.at(22, 30)) == nil)
        _ = c.handle(F.position("P1", 40, F.at(22, 31)), now: F.at(22, 31))
        #expect(c.eta(of: "P1", to: F.site(50), now: F.at(22, 31)) == F.at(22, 41))
        #expect(c.tonight.unit("P1")?.nextStop == "r#0")
        #expect(c.tonight.unit("P1")?.onShift == true)
    }
}

extension DispatchSelectionTests {
    /// P1 is at the incident's site but its next stop (s47 at 23:01) would be delayed 15 min
    /// (cost 0 + 0.5 × 900 s = 450 s); P2 is free 6 min away (360 s). Being there wins.
    @Test(arguments: [(Milliseconds.minutes(5), "P1"), (Milliseconds(-1), "P2")])
    func aUnitAlreadyThereIsPreferred(preferredWithin: Milliseconds, chosen: String) {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [F.stop(47, (23, 1), (23, 20), dwell: 10)])
        var c = DispatchCoordinator(
            directory: F.directory(units: F.units("P1", "P2"), routes: [route]),
            policy: DispatchPolicy(preferredWithin: preferredWithin))
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(46), method: .tag, time: F.at(23))), now: F.at(23))
        _ = c.handle(F.position("P2", 52, F.at(23)), now: F.at(23))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 46, .verifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        #expect(actions.requests.map(\.unit) == [UnitID(chosen)])
    }
}
