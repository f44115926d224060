import PropertyWatchCore
import PropertyWatchPipeline
import Testing

@Suite("Operator input queue: take, commit, requeue on failure (no I/O)")
struct OperatorInputQueueTests {
    static func note(_ text: String) -> OperatorInput {
        .note(incident: IncidentID("2026-11-27-0001"), author: "op", text: text)
    }

    @Test func takenInputsAreGoneOnceCommitted() {
        let queue = OperatorInputQueue()
        queue.submit(Self.note("a"))
        queue.submit(topic: "frigate/backfill", payload: [1])
        #expect(queue.hasWaiting)
        let taken = queue.take()
        #expect(taken.inputs == [Self.note("a")])
        #expect(taken.externals == [.init(topic: "frigate/backfill", payload: [1])])
        #expect(!queue.hasWaiting)
        queue.committed()
        queue.requeue()
        #expect(!queue.hasWaiting, "nothing taken is left to requeue")
        #expect(queue.take().isEmpty)
    }

    @Test func aFailedCommitPutsTakenInputsBackAheadOfNewerOnesInOrder() {
        let queue = OperatorInputQueue()
        queue.submit(Self.note("a"))
        queue.submit(Self.note("b"))
        queue.submit(topic: "x", payload: [1])
        _ = queue.take()
        queue.submit(Self.note("c"))
        queue.submit(topic: "y", payload: [2])
        // A second take within the same (retried) commit adds to what is taken.
        _ = queue.take()
        queue.submit(Self.note("d"))
        queue.requeue()
        let again = queue.take()
        #expect(again.inputs == [Self.note("a"), Self.note("b"), Self.note("c"), Self.note("d")])
        #expect(again.externals.map(\.topic) == ["x", "y"])
    }
}
