import Testing
@testable import PropertyWatchCore

@Suite struct RoutePlannerTests {
    let planner = RoutePlanner(travel: PatrolFixture.minutePerCentidegree)
    let t0 = PatrolFixture.at(23)

    @Test func travelTimeIsDistanceTimesRoadFactorOverSpeed() {
        let a = PatrolFixture.coordinate(40), b = PatrolFixture.coordinate(43)
        #expect(planner.travel.travelTime(from: a, to: b) == .minutes(3))
        let slow = TravelTimeModel(roadFactor: 1.5, averageSpeed: PatrolFixture.minutePerCentidegree.averageSpeed / 2)
        #expect(slow.travelTime(from: a, to: b) == .minutes(9))
        #expect(abs(TravelTimeModel.distanceMeters(a, b) - 3335.85) < 0.1)
    }

    /// Unit at s40 at 23:00; stops s42 (opens 23:05, 10 min) and s43 (opens 23:20, 5 min);
    /// a 15-minute visit at s41 inserted in each position.
    @Test(arguments: [
        // position, arrival at the visit, delay at s42, delay at s43, total, added finish
        (0, (23, 1), 12, 8, 20, 8),
        (1, (23, 16), 0, 13, 13, 13),
        (2, (23, 27), 0, 0, 0, 17),
    ])
    func insertionDelays(position: Int, arrival: (Int, Int), d1: Int, d2: Int, total: Int, finish: Int) throws {
        let stops = [
            RoutePlanner.Stop(location: PatrolFixture.coordinate(42), notBefore: PatrolFixture.at(23, 5), dwell: .minutes(10)),
            RoutePlanner.Stop(location: PatrolFixture.coordinate(43), notBefore: PatrolFixture.at(23, 20), dwell: .minutes(5)),
        ]
        let base = planner.simulate(from: PatrolFixture.coordinate(40), at: t0, stops: stops)
        #expect(base.arrivals == [PatrolFixture.at(23, 5), PatrolFixture.at(23, 20)])
        #expect(base.finish == PatrolFixture.at(23, 25))
        let visit = RoutePlanner.Stop(location: PatrolFixture.coordinate(41), notBefore: t0, dwell: .minutes(15))
        let all = planner.insertions(of: visit, into: stops, from: PatrolFixture.coordinate(40), at: t0)
        let i = try #require(all.first { $0.position == position })
        #expect(i.arrival == PatrolFixture.at(arrival.0, arrival.1))
        #expect(i.delays == [.minutes(Int64(d1)), .minutes(Int64(d2))])
        #expect(i.totalDelay == .minutes(Int64(total)))
        #expect(i.addedFinish == .minutes(Int64(finish)))
    }
}
