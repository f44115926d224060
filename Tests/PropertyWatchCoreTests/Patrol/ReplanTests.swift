import Testing
@testable import PropertyWatchCore

/// A missed planned visit proposes a re-plan of the rest of the route, and every change of a
/// unit's route is published as its plan for tonight.
@Suite struct ReplanTests {
    typealias F = PatrolFixture

    /// P1 parked at s40: s45 23:00–23:30, s47 23:40–00:10, s50 00:30–01:00 (dwell 10 min).
    func coordinator(shiftEnd: Int = 6, minute: Int = 0) -> DispatchCoordinator {
        let route = RouteConfiguration(id: "r", unit: "P1", stops: [
            F.stop(45, (23, 0), (23, 30), dwell: 10), F.stop(47, (23, 40), (0, 10), dwell: 10), F.stop(50, (0, 30), (1, 0), dwell: 10),
        ])
        let shift = ShiftConfiguration(id: "n", units: ["P1"], weekdays: Set(1...7), start: LocalTime(hour: 22), end: LocalTime(hour: shiftEnd, minute: minute))
        return DispatchCoordinator(directory: F.directory(units: F.units("P1"), shifts: [shift], routes: [route]))
    }

    var plans: (([DispatchAction]) -> [UnitPlan]) {
        { $0.compactMap { if case .publishPlan(let p) = $0 { p } else { nil } } }
    }

    @Test func tonightsPlanIsPublishedOnceThenOnEveryChange() throws {
        var c = coordinator()
        let first = plans(c.handle(F.position("P1", 40, F.at(22, 50)), now: F.at(22, 50)))
        #expect(first.map(\.version) == [1])
        #expect(first.first?.stops.map(\.id) == ["r#0", "r#1", "r#2"])
        #expect(first.first?.reason == "tonight's plan")
        // A position that changes no stop publishes nothing.
        #expect(plans(c.handle(F.position("P1", 41, F.at(22, 51)), now: F.at(22, 51))).isEmpty)
        let visited = plans(c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(45), method: .tag, time: F.at(23, 5))), now: F.at(23, 5)))
        #expect(visited.map(\.version) == [2])
        #expect(visited.first?.stops.first?.status == .done)
        #expect(visited.first?.reason == "r#0 done")
        let payload = String(decoding: MessageEncoder.unitPlan(try #require(visited.first)), as: UTF8.self)
        #expect(payload.hasPrefix(#"{"v":1,"unit":"P1","night":"2026-01-14","version":2,"reason":"r#0 done","stops":[{"id":"r#0","site":"s45","siteName":"Brohuset","#))
    }

    struct Miss: Sendable, CustomTestStringConvertible {
        var shiftEnd: Int
        var minute: Int
        var proposed: Bool
        var testDescription: String { "shift ends \(shiftEnd):\(minute)" }
    }

    @Test(arguments: [Miss(shiftEnd: 6, minute: 0, proposed: true), Miss(shiftEnd: 23, minute: 40, proposed: false)])
    func aMissedVisitProposesARevisitWhereTheRouteLosesLeast(miss: Miss) throws {
        var c = coordinator(shiftEnd: miss.shiftEnd, minute: miss.minute)
        _ = c.handle(F.position("P1", 40, F.at(22, 50)), now: F.at(22, 50))
        let missed = c.tick(now: F.at(23, 30))
        if !miss.proposed {
            // The shift ends at 23:40: no time left to go back (5 min away, 10 min dwell).
            #expect(missed.warningCodes == ["missed-stop", "replan-impossible"])
            return
        }
        #expect(missed.warningCodes == ["missed-stop", "replan-proposed"])
        let plan = try #require(plans(missed).last)
        #expect(plan.reason == "r#0 missed; r#0 missed; revisit-1 proposed" || plan.reason.contains("revisit-1 proposed"))
        let revisit = try #require(plan.stops.first { $0.id == "revisit-1" })
        #expect(revisit.revisitOf == "r#0")
        #expect(revisit.site == F.site(45))
        #expect(revisit.windowEnd == F.at(6))
        // Inserted between the pending stops where it delays them least: s45 is 2 min from s47.
        let order = plan.stops.map(\.id)
        #expect(order.firstIndex(of: "revisit-1")! > order.firstIndex(of: "r#0")!)
        // Going there settles both: the missed stop is late, the revisit done.
        let back = c.handle(.checkIn(CheckIn(unit: "P1", site: F.site(45), method: .tag, time: F.at(23, 35))), now: F.at(23, 35))
        #expect(back.warningCodes == ["late-stop"])
        #expect(c.tonight.stop("r#0")?.status == .late)
        #expect(c.tonight.stop("revisit-1")?.status == .done)
        #expect(plans(back).first?.stops.first { $0.id == "revisit-1" }?.status == .done)
    }

    @Test func aMissedRevisitIsNotProposedAgain() {
        var c = coordinator()
        _ = c.handle(F.position("P1", 40, F.at(22, 50)), now: F.at(22, 50))
        _ = c.tick(now: F.at(23, 30))
        var codes: [String] = []
        while let due = c.nextDeadline, due <= F.at(7) { codes += c.tick(now: due).warningCodes }
        // r#1 and r#2 are missed too and proposed once each; revisits missed at 06:00 are not.
        #expect(codes.filter { $0 == "replan-proposed" }.count == 2)
        #expect(codes.filter { $0 == "missed-stop" }.count == 5)
    }
}
