import Testing
@testable import PropertyWatchCore

/// Every transition `Watch` reports carries its incident's own counter, 1, 2, 3, … in order,
/// the same however the inputs were batched: outbox keys are made from it.
@Suite struct TransitionNumberingTests {
    @Test(arguments: [3, 11] as [UInt64], [1, 7, 64, 4000])
    func eachIncidentsTransitionsAreNumberedInOrder(seed: UInt64, size: Int) {
        var night = NightMixBatchTests.Night(seed: seed)
        var single = Watch(directory: NightMixBatchTests.directory)
        var batched = single
        var messages: [(InboundMessage, Timestamp)] = []
        var expected: [WatchAction] = []
        var requests: [GuardRequest] = []
        for _ in 0..<4000 {
            let (message, now) = night.next(requests: requests)
            messages.append((message, now))
            let actions = single.handle(message, now: now)
            requests += actions.compactMap { if case .requestGuard(let r) = $0 { r } else { nil } }
            expected += actions
        }
        let transitions = expected.compactMap { if case .transition(let t) = $0 { t } else { nil } }
        #expect(transitions.count > 100)
        var next: [IncidentID: Int] = [:]
        for t in transitions {
            #expect(t.sequence == next[t.incident, default: 1], "\(t.incident) \(t.cause)")
            next[t.incident] = t.sequence + 1
        }
        // Some incident changed twice within one millisecond, and still has two numbers.
        let sameInstant = Dictionary(grouping: transitions, by: { "\($0.incident)@\($0.time.millisecondsSinceEpoch)" })
        #expect(sameInstant.values.contains { $0.count > 1 })
        let actual = messages.batches(of: size).flatMap { batched.handle(batch: $0) }
        #expect(actual == expected)
    }

    @Test func aCounterIsForgottenADayAfterItsIncidentEnded() {
        var numbering = TransitionNumbering()
        let t0 = Timestamp(millisecondsSinceEpoch: 1_000_000)
        func transition(_ id: IncidentID, _ to: IncidentState, _ t: Timestamp) -> Int {
            var x = IncidentTransition(incident: id, site: "s", from: nil, to: to, priority: .fire, cause: "c", time: t)
            numbering.number(&x)
            return x.sequence
        }
        #expect(transition("A", .new, t0) == 1)
        #expect(transition("A", .dispatched, t0) == 2)
        #expect(transition("A", .cleared, t0) == 3)
        #expect(transition("B", .new, t0 + .hours(1)) == 1)
        // Late transitions of an ended incident within the day keep counting.
        #expect(transition("A", .cleared, t0 + .hours(2)) == 4)
        #expect(numbering.count == 2)
        #expect(transition("B", .dispatched, t0 + .hours(25)) == 2)
        #expect(numbering.count == 1)
    }
}
