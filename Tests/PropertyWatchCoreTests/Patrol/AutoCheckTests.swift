import Testing
@testable import PropertyWatchCore

/// Checks created per policy (`EscalationChain.checkInstead`): an incident of such a priority
/// adds a directed check to the route that loses least instead of asking a unit to go; the
/// check is withdrawn, and the car told, when it is moot.
@Suite struct AutoCheckTests {
    typealias F = PatrolFixture

    /// P1 with a route (s45 23:00–23:30, s50 00:30–01:00) parked at s44; a check policy for
    /// unverified intrusions; an unverified intrusion at s47 at 22:50.
    func started(checkInstead: Bool = true) -> (DispatchCoordinator, [DispatchAction]) {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [F.stop(45, (23, 0), (23, 30), dwell: 10), F.stop(50, (0, 30), (1, 0), dwell: 10)])
        var escalation = EscalationConfiguration(centralWebhookURL: "https://central.example/hook", onCallContact: "+46700000000")
        escalation.chains = [.unverifiedIntrusion: EscalationChain(checkInstead: checkInstead)]
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1"), routes: [route], escalation: escalation))
        _ = c.handle(F.position("P1", 44, F.at(22, 45)), now: F.at(22, 45))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 47, .unverifiedIntrusion, openedAt: F.at(22, 50))), now: F.at(22, 50))
        return (c, actions)
    }

    func plan(_ actions: [DispatchAction]) -> UnitPlan? {
        actions.compactMap { if case .publishPlan(let p) = $0 { p } else { nil } }.last
    }

    @Test(arguments: [true, false])
    func aCheckInsteadOfARequestPerPolicy(checkInstead: Bool) throws {
        let (_, actions) = started(checkInstead: checkInstead)
        if !checkInstead {
            #expect(actions.requests.map(\.unit) == ["P1"])
            return
        }
        #expect(actions.requests.isEmpty)
        #expect(actions.warningCodes == ["directed-check"])
        let stop = try #require(plan(actions)?.stops.first { $0.directed != nil })
        #expect(stop.site == F.site(47))
        #expect(stop.directed?.by == "policy")
        #expect(stop.directed?.reason == "unverified-intrusion I1")
    }

    @Test(arguments: ["closed by anna: caretaker", "partition armed"])
    func aMootCheckIsWithdrawnAndTheCarTold(reason: String) throws {
        var (c, _) = started()
        let ended = c.handle(.incidentEnded("I1", reason: reason), now: F.at(22, 55))
        #expect(ended.warningCodes == ["check-withdrawn"])
        #expect(ended.warningMessages.first?.hasSuffix("is withdrawn: I1 ended: \(reason)") == true)
        let published = try #require(plan(ended))
        #expect(published.stops.allSatisfy { $0.directed == nil })
        #expect(published.reason == "directed-1 withdrawn: I1 ended: \(reason)")
    }

    @Test func aCheckAlreadyMadeIsNotWithdrawn() {
        var (c, _) = started()
        _ = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(47), method: .tag, time: F.at(22, 54))), now: F.at(22, 54))
        #expect(c.tonight.stop("directed-1")?.status == .done)
        #expect(c.handle(.incidentEnded("I1", reason: "closed"), now: F.at(22, 55)).warningCodes.isEmpty)
    }

    @Test func aRisingPriorityWithdrawsTheCheckAndAsksAUnit() {
        var (c, _) = started()
        let rose = c.handle(.incidentNeedsGuard(F.incident(at: 47, .verifiedIntrusion, openedAt: F.at(22, 50))), now: F.at(22, 52))
        #expect(rose.warningCodes == ["check-withdrawn"])
        #expect(rose.requests.map(\.unit) == ["P1"])
        #expect(c.tonight.stop("directed-1") == nil)
    }
}
