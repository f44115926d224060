/// Forecasts a unit's remaining route and the cost of inserting one more visit into it.
///
/// A unit leaves `origin` at `start`, drives to each stop in order, waits for the stop's
/// window to open if early, and stays for its dwell. An insertion's delay to a stop is how
/// much later the unit arrives there than without the insertion.
struct RoutePlanner: Sendable {
    /// A stop as the planner sees it.
    struct Stop: Sendable, Hashable {
        var location: Coordinate
        var notBefore: Timestamp
        var dwell: Milliseconds
    }

    /// The result of inserting a visit at `position` (0 = before the first remaining stop).
    struct Insertion: Sendable, Hashable {
        var position: Int
        /// Arrival at the inserted visit.
        var arrival: Timestamp
        /// Per remaining stop, how much later the unit arrives there.
        var delays: [Milliseconds]
        var totalDelay: Milliseconds
        /// How much later the unit finishes its route.
        var addedFinish: Milliseconds
    }

    var travel: TravelTimeModel

    /// Arrival at each stop and the departure from the last one.
    func simulate(from origin: Coordinate, at start: Timestamp, stops: [Stop]) -> (arrivals: [Timestamp], finish: Timestamp) {
        var here = origin
        var time = start
        var arrivals: [Timestamp] = []
        arrivals.reserveCapacity(stops.count)
        for stop in stops {
            let arrival = max(time + travel.travelTime(from: here, to: stop.location), stop.notBefore)
            arrivals.append(arrival)
            time = arrival + stop.dwell
            here = stop.location
        }
        return (arrivals, time)
    }

    /// Every possible insertion of `visit` into `stops`, in position order.
    func insertions(of visit: Stop, into stops: [Stop], from origin: Coordinate, at start: Timestamp, positions: ClosedRange<Int>? = nil) -> [Insertion] {
        let base = simulate(from: origin, at: start, stops: stops)
        let range = positions ?? 0...stops.count
        var result: [Insertion] = []
        for position in range where position <= stops.count {
            var candidate = stops
            candidate.insert(visit, at: position)
            let sim = simulate(from: origin, at: start, stops: candidate)
            var delays: [Milliseconds] = []
            var total = Milliseconds(0)
            for i in stops.indices {
                let shifted = sim.arrivals[i < position ? i : i + 1]
                let delay = Milliseconds(max(0, (shifted - base.arrivals[i]).value))
                delays.append(delay)
                total = total + delay
            }
            result.append(Insertion(
                position: position, arrival: sim.arrivals[position], delays: delays,
                totalDelay: total, addedFinish: sim.finish - base.finish))
        }
        return result
    }
}
