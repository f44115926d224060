import Testing
@testable import PropertyWatchCore

/// `handle(batch:)` is `handle(_:now:)` per message: same actions in the same order, same state.
@Suite struct BatchTests {
    @Test(arguments: [1, 7, 42] as [UInt64], [1, 5, 16, 100])
    func batchMatchesOneByOne(seed: UInt64, size: Int) {
        let messages: [(InboundMessage, Timestamp)] = ReplayTests.scenario(seed: seed, count: 2000).compactMap { t, op in
            guard case .message(let m) = op else { return nil }
            return (m, Fixture.t0 + Milliseconds(t))
        }
        var single = CorrelationEngine(directory: ReplayTests.directory, schedule: TestSchedule.daytime)
        var batched = single
        var expected: [CorrelationAction] = []
        for (m, now) in messages { expected += single.handle(m, now: now) }
        let actual = messages.batches(of: size).flatMap { batched.handle(batch: $0) }
        #expect(actual == expected)
        #expect(batched == single)
        #expect(batched.counters == single.counters)
    }

    @Test func unknownDevicesAreCountedInBatches() {
        var engine = CorrelationEngine(directory: Fixture.directory, schedule: TestSchedule.daytime)
        let actions = engine.handle(batch: [
            (.heartbeat(Heartbeat(site: "nowhere", device: "x", deviceTime: Fixture.t0)), Fixture.t0),
            (.heartbeat(Heartbeat(site: Fixture.school, device: "nope", deviceTime: Fixture.t0)), Fixture.t0),
        ])
        #expect(actions.isEmpty)
        #expect(engine.counters.unknownDevices == 2)
    }
}
