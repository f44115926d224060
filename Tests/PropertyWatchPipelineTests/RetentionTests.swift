import Foundation
import GRDB
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

@Suite("Retention: each kind its own period, every purge recorded")
struct RetentionTests {
    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_000 * day

    func journal() throws -> Journal {
        try Journal(path: TestEnvironment.temporaryDirectory("journal").appendingPathComponent("j.sqlite").path, synchronousFull: false)
    }

    func insert(_ journal: Journal, topic: String, daysAgo: Int64) throws {
        try journal.commit { tx in
            try Array(topic.utf8).withUnsafeBytes { t in
                try Array("{}".utf8).withUnsafeBytes { p in
                    try tx.insertEvent(receivedAt: Self.now - daysAgo * Self.day, topic: t, payload: p, site: "s", device: "d", sequence: nil)
                }
            }
        }
    }

    func incident(_ journal: Journal, _ id: String, _ state: IncidentState, daysAgo: Int64) throws {
        try journal.commit { tx in
            try tx.record(IncidentTransition(
                incident: IncidentID(id), site: "s", from: nil, to: state, priority: .fire, cause: "test",
                time: Timestamp(millisecondsSinceEpoch: Self.now - daysAgo * Self.day)))
        }
    }

    func count(_ journal: Journal, _ sql: String) throws -> Int {
        try journal.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func eachKindHasItsOwnPeriodAndEveryPurgeIsRecorded() throws {
        let journal = try journal()
        let alarm = "propertywatch/v1/sites/s/alarms/d"
        let camera = "propertywatch/v1/sites/s/cameras/c"
        for days in [100, 60, 40, 10] as [Int64] {
            try insert(journal, topic: alarm, daysAgo: days)
            try insert(journal, topic: camera, daysAgo: days)
            try insert(journal, topic: "frigate/events", daysAgo: days)
        }
        try incident(journal, "old-closed", .closed, daysAgo: 400)
        try incident(journal, "recent-closed", .closed, daysAgo: 100)

        let (records, unfinished) = try journal.purge(now: Self.now, retention: JournalRetention(eventDays: 90, cameraMetadataDays: 30, incidentDays: 365))
        #expect(!unfinished)
        // Alarms: only the one older than 90 days. Camera metadata: everything older than 30.
        #expect(try count(journal, "SELECT COUNT(*) FROM event WHERE topic = '\(alarm)'") == 3)
        #expect(try count(journal, "SELECT COUNT(*) FROM event WHERE topic = '\(camera)'") == 1)
        #expect(try count(journal, "SELECT COUNT(*) FROM event WHERE topic = 'frigate/events'") == 1)
        #expect(try count(journal, "SELECT COUNT(*) FROM incident") == 1)
        #expect(try count(journal, "SELECT COUNT(*) FROM incident_transition WHERE incident = 'old-closed'") == 0)
        let summary = Dictionary(uniqueKeysWithValues: records.map { ($0.what, $0.count) })
        #expect(summary == ["events": 3, "camera-events": 4, "incidents": 1])
        #expect(records.allSatisfy { $0.time == Self.now })
        #expect(records.first { $0.what == "camera-events" }?.cutoff == Self.now - 30 * Self.day)
        // The same records, read back as the API shows them.
        #expect(Set(try journal.purges(limit: 10)) == Set(records))
    }

    @Test func nothingToRemoveLeavesNoRecord() throws {
        let journal = try journal()
        try insert(journal, topic: "propertywatch/v1/sites/s/alarms/d", daysAgo: 1)
        let (records, _) = try journal.purge(now: Self.now, retention: JournalRetention())
        #expect(records.isEmpty)
        #expect(try journal.purges(limit: 10).isEmpty)
    }

    @Test func anOpenIncidentHoldsBackOnlyWhatItsReplayNeeds() throws {
        let journal = try journal()
        for days in [100, 95, 91] as [Int64] { try insert(journal, topic: "propertywatch/v1/sites/s/alarms/d", daysAgo: days) }
        try incident(journal, "open", .dispatched, daysAgo: 95)
        let (records, _) = try journal.purge(now: Self.now, retention: JournalRetention(eventDays: 90))
        #expect(records.map(\.count) == [1])
        #expect(try journal.openIncidents(openedBefore: Self.now - 7 * Self.day) == ["open"])
    }

    @Test func anIncidentOpenPastTheLimitIsClosedAsStaleWithARecord() throws {
        let broker = try TestBroker.shareable()
        let dir = TestEnvironment.temporaryDirectory()
        let clock = VirtualClock()
        let start = Timestamp(millisecondsSinceEpoch: PipelineFixture.nowMilliseconds)
        clock.advance(to: start)
        let harness = try PipelineHarness(
            port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path,
            clientID: TestEnvironment.uniqueName("pw"), clock: clock, retention: JournalRetention(staleIncidentDays: 7))
        let publisher = try TestPublisher(port: broker.port)
        let fire = PipelineFixture.alarm("smoke-a", seq: 1)
        #expect(publisher.publish(fire.topic, fire.payload))
        #expect(try harness.process { $0.accepted == 1 && $0.guardRequests == 1 })
        let id = try #require(try harness.journal.openIncidents(openedBefore: Int64.max).first)

        // Eight days on, nobody has closed it.
        clock.advance(to: start + .hours(8 * 24))
        harness.pipeline.step(waitMilliseconds: 0)
        let state = try harness.journal.read { db in try String.fetchOne(db, sql: "SELECT state FROM incident WHERE id = ?", arguments: [id]) }
        #expect(state == "closed")
        let cause = try harness.journal.read { db in
            try String.fetchOne(db, sql: "SELECT cause FROM incident_transition WHERE incident = ? ORDER BY id DESC LIMIT 1", arguments: [id])
        }
        #expect(cause?.contains("stale") == true)
        let stale = try harness.journal.purges(limit: 10).filter { $0.what == "stale-incidents" }
        #expect(stale.map(\.count) == [1])
        // The close is an input like any other: journaled, so a restart replays it.
        #expect(try harness.count("SELECT COUNT(*) FROM event WHERE topic LIKE '%/internal/operator'") == 1)
        try harness.shutdown()
    }
}
