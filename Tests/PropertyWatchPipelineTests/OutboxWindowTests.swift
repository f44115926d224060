import PropertyWatchPipeline
import Testing

@Suite("Outbox window: what goes to the publisher, what waits in the journal (no I/O)")
struct OutboxWindowTests {
    /// One thing that happens to the window, and what it must answer.
    enum Step: Sendable, CustomStringConvertible {
        /// Rows of a commit up to `last`, with `queued` rows in the publisher's queue.
        case publish(queued: Int, last: Int64, expect: OutboxWindow.Publish)
        /// A refill check with `queued` queued: the read it asks for (nil: none).
        case refill(queued: Int, expect: OutboxWindow.Refill?)
        /// The read of the last refill returned `count` rows up to `last`; caught up or not.
        case read(count: Int, last: Int64?, caughtUp: Bool)
        case resendAll

        var description: String {
            switch self {
            case .publish(let q, let last, let e): "publish(queued \(q), last \(last)) → \(e)"
            case .refill(let q, let e): "refill(queued \(q)) → \(String(describing: e))"
            case .read(let c, let l, let u): "read(\(c), last \(String(describing: l))) → caught up \(u)"
            case .resendAll: "resendAll"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var size: Int
        var steps: [Step]
        /// `handedThrough` and `isBehind` at the end.
        var handedThrough: Int64
        var behind: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "room: rows go through", size: 4, steps: [
            .publish(queued: 0, last: 3, expect: .handOver),
            .publish(queued: 3, last: 5, expect: .handOver),
            .refill(queued: 3, expect: nil),
        ], handedThrough: 5, behind: false),
        Case(name: "a full queue defers once, later commits wait silently", size: 4, steps: [
            .publish(queued: 4, last: 1, expect: .leaveInJournal(fellBehind: true)),
            .publish(queued: 0, last: 2, expect: .leaveInJournal(fellBehind: false)),
        ], handedThrough: 0, behind: true),
        Case(name: "refill waits for half the window, then reads what fits and catches up", size: 4, steps: [
            .publish(queued: 1, last: 10, expect: .handOver),
            .publish(queued: 4, last: 12, expect: .leaveInJournal(fellBehind: true)),
            .refill(queued: 3, expect: nil),
            .refill(queued: 2, expect: OutboxWindow.Refill(after: 10, limit: 2)),
            .read(count: 2, last: 12, caughtUp: false),
            .refill(queued: 0, expect: OutboxWindow.Refill(after: 12, limit: 4)),
            .read(count: 0, last: nil, caughtUp: true),
            .publish(queued: 0, last: 13, expect: .handOver),
        ], handedThrough: 13, behind: false),
        Case(name: "a start sends every unconfirmed row again from the journal", size: 8, steps: [
            .publish(queued: 0, last: 40, expect: .handOver),
            .resendAll,
            .publish(queued: 0, last: 41, expect: .leaveInJournal(fellBehind: false)),
            .refill(queued: 0, expect: OutboxWindow.Refill(after: 0, limit: 8)),
            .read(count: 5, last: 41, caughtUp: true),
        ], handedThrough: 41, behind: false),
        Case(name: "a window below 2 is 2", size: 0, steps: [
            .publish(queued: 1, last: 1, expect: .handOver),
            .publish(queued: 2, last: 2, expect: .leaveInJournal(fellBehind: true)),
            .refill(queued: 1, expect: OutboxWindow.Refill(after: 1, limit: 1)),
        ], handedThrough: 1, behind: true),
    ]

    @Test(arguments: cases)
    func window(_ c: Case) throws {
        var window = OutboxWindow(size: c.size)
        var lastRefill: OutboxWindow.Refill?
        for step in c.steps {
            switch step {
            case .publish(let queued, let last, let expect):
                let decision = window.publish(queued: queued)
                #expect(decision == expect, "\(step)")
                if decision == .handOver { window.handed(through: last) }
            case .refill(let queued, let expect):
                lastRefill = window.refill(queued: queued)
                #expect(lastRefill == expect, "\(step)")
            case .read(let count, let last, let caughtUp):
                let refill = try #require(lastRefill)
                #expect(window.refilled(refill, count: count, lastID: last) == caughtUp, "\(step)")
            case .resendAll:
                window.resendAll()
            }
        }
        #expect(window.handedThrough == c.handedThrough)
        #expect(window.isBehind == c.behind)
    }

    @Test func confirmationsAreMarkedWhenDueAndThenForgotten() {
        var window = OutboxWindow(size: 4)
        #expect(!window.markDue(now: 5_000), "nothing to mark")
        window.confirm([3, 4])
        window.confirm([7])
        #expect(window.confirmed == [3, 4, 7])
        #expect(window.markDue(now: 5_000))
        window.marked(at: 5_000)
        #expect(window.confirmed.isEmpty)
        window.confirm([8])
        #expect(!window.markDue(now: 5_999), "less than a second since the last marking")
        #expect(window.markDue(now: 6_000))
    }
}
