import Testing
@testable import PropertyWatchCore

/// Incidents are numbered per Stockholm day (`2026-11-24-0003`), whatever their site, and
/// guard request ids are derived from them.
@Suite struct ReadableIDTests {
    static let evening = WatchTests.evening  // Tuesday 2026-11-24 22:00

    @Test(arguments: [
        // Minutes after 22:00 of each fire (an hour apart or more, so none merge), and the ids.
        ([0, 60, 119], ["2026-11-24-0001", "2026-11-24-0002", "2026-11-24-0003"]),
        ([0, 121, 181], ["2026-11-24-0001", "2026-11-25-0001", "2026-11-25-0002"]),
        ([125], ["2026-11-25-0001"]),
    ])
    func numberedPerStockholmDay(minutes: [Int], ids: [String]) throws {
        var watch = Watch(directory: WatchTests.directory)
        var opened: [IncidentID] = []
        var requests: [GuardRequest] = []
        for (i, m) in minutes.enumerated() {
            let t = Self.evening + .minutes(Int64(m))
            let actions = watch.handle(WatchTests().alarm("smoke-a", UInt64(i + 1), .fire, zone: "a", at: t), now: t)
            opened += actions.compactMap { if case .transition(let x) = $0, x.from == nil { x.incident } else { nil } }
            requests += actions.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
            // Each is cleared before the next, so the next opens a new incident.
            if let r = requests.last {
                for kind in [GuardReply.Kind.accepted, .arrived, .cleared] {
                    _ = watch.handle(.reply(GuardReply(unit: r.unit, incident: r.incident, kind: kind, outcome: .falseAlarm, time: t)), now: t + .seconds(1))
                }
            }
        }
        #expect(opened.map(\.rawValue) == ids)
        #expect(requests.map(\.requestID) == ids.map { "\($0)-1" })
    }
}
