import Foundation
import GRDB
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

@Suite("Journal (real SQLite)")
struct JournalTests {
    func journal() throws -> Journal {
        try Journal(path: TestEnvironment.temporaryDirectory("journal").appendingPathComponent("j.sqlite").path)
    }

    func insert(_ journal: Journal, at time: Int64) throws {
        try journal.commit { tx in
            try Array("t".utf8).withUnsafeBytes { topic in
                try Array("{}".utf8).withUnsafeBytes { payload in
                    try tx.insertEvent(receivedAt: time, topic: topic, payload: payload, site: "s", device: "d", sequence: time)
                }
            }
        }
    }

    func transition(_ to: IncidentState, opened: Int64) -> IncidentTransition {
        IncidentTransition(incident: IncidentID("s-\(opened)"), site: "s", from: nil, to: to, priority: .fire, cause: "test",
                           time: Timestamp(millisecondsSinceEpoch: opened))
    }

    /// A scoped journal stops its checkpoint thread when the scope ends, also on a throw.
    @Test func aScopedJournalStopsItsCheckpointThread() throws {
        let directory = try TestEnvironment.temporaryDirectory("journal-scope")
        struct Failure: Error {}
        let (kept, runningInside) = try Journal.with(path: directory.appendingPathComponent("a.sqlite").path) { journal in
            try insert(journal, at: 1)
            return (journal, journal.isCheckpointing)
        }
        #expect(runningInside)
        #expect(!kept.isCheckpointing, "the thread has ended when the scope returns")
        try insert(kept, at: 2)  // commits still work, without the background checkpoints
        var leaked: Journal?
        #expect(throws: Failure.self) {
            try Journal.with(path: directory.appendingPathComponent("b.sqlite").path) { journal in
                leaked = journal
                throw Failure()
            }
        }
        #expect(leaked?.isCheckpointing == false)
    }

    @Test func outboxKeysMakeActionsIdempotent() throws {
        let journal = try journal()
        let first = try journal.commit { tx in try tx.insertOutbox(key: "request:I1-1", kind: "guard-request", topic: "t", payload: [1], createdAt: 1) }
        let again = try journal.commit { tx in try tx.insertOutbox(key: "request:I1-1", kind: "guard-request", topic: "t", payload: [1], createdAt: 2) }
        #expect(first != nil)
        #expect(again == nil)
        #expect(try journal.pendingOutbox().map(\.key) == ["request:I1-1"])
        try journal.commit { tx in try tx.markSent([first!], at: 3) }
        #expect(try journal.pendingOutbox().isEmpty)
    }

    /// Incidents are numbered per Stockholm day, so the replay of an open incident needs its
    /// whole day, not just its opening.
    @Test func pruningKeepsEverythingAnOpenIncidentNeeds() throws {
        let journal = try journal()
        func at(_ day: Int, _ hour: Int) -> Int64 {
            StockholmTime.resolve(LocalDate(year: 2026, month: 11, day: day), LocalTime(hour: hour)).millisecondsSinceEpoch
        }
        for t in [at(25, 10), at(26, 1), at(26, 2), at(26, 20)] { try insert(journal, at: t) }
        try journal.commit { tx in try tx.record(transition(.dispatched, opened: at(26, 2))) }
        // Retention says "before noon on the 26th", but the incident opened at 02:00 that day is still open.
        #expect(try journal.purgeInputs(receivedBefore: at(26, 12)) == 1)
        try journal.commit { tx in
            try tx.record(IncidentTransition(incident: IncidentID("s-\(at(26, 2))"), site: "s", from: .dispatched, to: .cleared, priority: .fire, cause: "cleared", time: Timestamp(millisecondsSinceEpoch: at(26, 4))))
        }
        #expect(try journal.purgeInputs(receivedBefore: at(26, 12)) == 2)
        let left = try journal.read { db in try Int64.fetchAll(db, sql: "SELECT received_at FROM event") }
        #expect(left == [at(26, 20)])
        #expect(try journal.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident") } == 1)
    }

    @Test func pruningWorksInChunks() throws {
        let journal = try journal()
        for t in 1...25 { try insert(journal, at: Int64(t)) }
        #expect(try journal.purgeInputs(receivedBefore: 100, limit: 10) == 10)
        #expect(try journal.purgeInputs(receivedBefore: 100, limit: 10) == 10)
        #expect(try journal.purgeInputs(receivedBefore: 100, limit: 10) == 5)
    }

    @Test func survivesReopening() throws {
        let path = TestEnvironment.temporaryDirectory("journal").appendingPathComponent("j.sqlite").path
        do {
            let journal = try Journal(path: path)
            try insert(journal, at: 42)
        }
        let reopened = try Journal(path: path)
        var seen: [Int64] = []
        try reopened.replay { seen.append($0.receivedAt) }
        #expect(seen == [42])
    }
}
