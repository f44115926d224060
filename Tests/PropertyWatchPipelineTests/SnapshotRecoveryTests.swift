import Foundation
import GRDB
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

/// Restart in O(state): with real SQLite, a pipeline reopened on a journal with a snapshot
/// restores it and replays only the rows after it, and ends in the state a full replay of the
/// same journal gives, byte for byte. A damaged snapshot, one taken under another
/// configuration, or one a purge made incomplete is passed over (counted, with a warning) and
/// the journal is replayed.
@Suite struct SnapshotRecoveryTests {
    typealias Sink = BatchingDeterminismTests.Sink
    static let stream = BatchingDeterminismTests.stream

    struct Run {
        let directory: URL
        let journal: Journal
        var path: String { journal.path }
    }

    static func pipeline(
        _ journal: Journal, configuration: WatchConfiguration = PipelineFixture.configuration,
        snapshots: SnapshotPolicy = SnapshotPolicy(everyEvents: 0)
    ) throws -> (Pipeline, MQTTInbox) {
        let inbox = try MQTTInbox.make(batchCount: 2, messages: stream.count + 1, bytes: 4 << 20)
        let pipeline = Pipeline(
            configuration: configuration, journal: journal, inbox: inbox, publisher: Sink(), clock: VirtualClock(),
            logger: Logger(label: "test.snapshot"), snapshots: snapshots)
        return (pipeline, inbox)
    }

    /// Feeds `messages` in batches of `size` and steps the pipeline after each.
    static func feed(_ messages: ArraySlice<(topic: String, payload: [UInt8])>, to pipeline: Pipeline, inbox: MQTTInbox, size: Int = 16) throws {
        var from = messages.startIndex
        while from < messages.endIndex {
            let batch = try #require(inbox.takeFree())
            for m in messages[from..<min(from + size, messages.endIndex)] { batch.append(topic: m.topic, payload: m.payload) }
            inbox.publish(batch)
            #expect(try pipeline.step(waitMilliseconds: 0))
            from += size
        }
    }

    /// A journal of the whole stream with one snapshot taken after `cut` messages.
    static func journalWithSnapshot(at cut: Int, kept: Int = 2) throws -> (Journal, position: Int64) {
        let (journal, position, _) = try journalWithSnapshotAndLiveState(at: cut, kept: kept)
        return (journal, position)
    }

    /// Also the live pipeline's state at the end of the stream.
    static func journalWithSnapshotAndLiveState(at cut: Int, kept: Int = 2) throws -> (Journal, position: Int64, live: [UInt8]) {
        let directory = TestEnvironment.temporaryDirectory("snapshot")
        let journal = try Journal(path: directory.appendingPathComponent("j.sqlite").path, synchronousFull: false)
        // Periodic snapshots off (huge count); the one taken here is the only one.
        let (live, inbox) = try pipeline(journal, snapshots: SnapshotPolicy(everyEvents: 10_000_000, intervalSeconds: 86_400, kept: kept))
        _ = try live.recover()
        try feed(stream[..<cut], to: live, inbox: inbox)
        #expect(live.takeSnapshot())
        let position = try journal.lastEventID()
        try feed(stream[cut...], to: live, inbox: inbox)
        return (journal, position, try live.encodedState())
    }

    /// A consistent copy of the journal's database (`VACUUM INTO`), opened as a journal.
    static func copy(_ journal: Journal) throws -> Journal {
        let path = TestEnvironment.temporaryDirectory("snapshot-copy").appendingPathComponent("j.sqlite").path
        try DatabaseQueue(path: journal.path).writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
        return try Journal(path: path, synchronousFull: false)
    }

    /// Reopened (on copies of the journal) with snapshots on, and with them off (the full
    /// replay): equal right after recovery, and after both restart at the same time.
    @Test(arguments: [40, 300])
    func snapshotAndTailEqualsFullReplay(cut: Int) throws {
        let (journal, position) = try Self.journalWithSnapshot(at: cut)
        let total = try journal.lastEventID()
        #expect(total > position, "rows follow the snapshot")

        let (restored, restoredInbox) = try Self.pipeline(Self.copy(journal), snapshots: SnapshotPolicy())
        let report = try restored.recover()
        #expect(report.snapshotPosition == position)
        #expect(report.replayedRows == Int(total - position), "only the tail is replayed")
        #expect(restored.statistics.snapshot.snapshotsUnusable.isEmpty)

        let (full, fullInbox) = try Self.pipeline(Self.copy(journal), snapshots: SnapshotPolicy(everyEvents: 0))
        let fullReport = try full.recover()
        #expect(fullReport.snapshotPosition == nil)
        #expect(fullReport.replayedRows == Int(total))
        #expect(try restored.encodedState() == full.encodedState())
        // Both restart at the same time (the start is journaled and ticks the core): equal.
        let restart = BatchingDeterminismTests.start + .minutes(90)
        let clock = [(topic: Topic.simulatedClock, payload: Array(#"{"v":1,"time":\#(restart.millisecondsSinceEpoch)}"#.utf8))]
        try Self.feed(clock[...], to: restored, inbox: restoredInbox)
        try Self.feed(clock[...], to: full, inbox: fullInbox)
        #expect(try restored.encodedState() == full.encodedState())
    }

    /// Taken after the last input, once time has passed (the rest of the stream is clock
    /// messages, which are not journaled; an acknowledgement timeout fired and escalated), a
    /// snapshot restores the state the pipeline had when it stopped, byte for byte: what it
    /// had published included. A full replay fires those timers only at the next input, and
    /// a restart (`Watch.resume`) comes before it, so it cannot be compared here.
    @Test func aSnapshotAfterTheLastInputRestoresTheStateAtStop() throws {
        let (journal, position, live) = try Self.journalWithSnapshotAndLiveState(at: Self.stream.count)
        #expect(try journal.lastEventID() == position)
        let (restored, _) = try Self.pipeline(journal, snapshots: SnapshotPolicy())
        let report = try restored.recover()
        #expect(report.snapshotPosition == position)
        #expect(report.replayedRows == 0)
        #expect(try restored.encodedState() == live)
        #expect(String(decoding: live, as: UTF8.self).contains(#""escalated":true"#))
    }

    @Test func aDamagedSnapshotFallsBackToFullReplay() throws {
        let (journal, _) = try Self.journalWithSnapshot(at: 300, kept: 1)
        let database = try DatabaseQueue(path: journal.path)
        try database.write { db in try db.execute(sql: "UPDATE snapshot SET state = CAST('{\"x\":1}' AS BLOB)") }
        let (restored, _) = try Self.pipeline(journal, snapshots: SnapshotPolicy())
        let report = try restored.recover()
        #expect(report.snapshotPosition == nil)
        #expect(report.replayedRows == Int(try journal.lastEventID()))
        #expect(restored.statistics.snapshot.snapshotsUnusable == ["checksum": 1])
        let (full, _) = try Self.pipeline(journal)
        _ = try full.recover()
        #expect(try restored.encodedState() == full.encodedState())
    }

    @Test func anOlderSnapshotIsUsedWhenTheNewestIsDamaged() throws {
        let directory = TestEnvironment.temporaryDirectory("snapshot")
        let journal = try Journal(path: directory.appendingPathComponent("j.sqlite").path, synchronousFull: false)
        let (live, inbox) = try Self.pipeline(journal, snapshots: SnapshotPolicy(everyEvents: 10_000_000, intervalSeconds: 86_400, kept: 2))
        _ = try live.recover()
        try Self.feed(Self.stream[..<200], to: live, inbox: inbox)
        #expect(live.takeSnapshot())
        let older = try journal.lastEventID()
        try Self.feed(Self.stream[200..<400], to: live, inbox: inbox)
        #expect(live.takeSnapshot())
        let newer = try journal.lastEventID()
        #expect(newer > older)
        try Self.feed(Self.stream[400...], to: live, inbox: inbox)
        let database = try DatabaseQueue(path: journal.path)
        try database.write { db in try db.execute(sql: "UPDATE snapshot SET checksum = checksum + 1 WHERE journal_position = ?", arguments: [newer]) }
        let (restored, _) = try Self.pipeline(journal, snapshots: SnapshotPolicy())
        #expect(try restored.recover().snapshotPosition == older)
        #expect(restored.statistics.snapshot.snapshotsUnusable == ["checksum": 1])
    }

    @Test func aChangedConfigurationFallsBackToFullReplay() throws {
        let (journal, _) = try Self.journalWithSnapshot(at: 300)
        var changed = PipelineFixture.configuration
        changed.rules.mergeWindow = .minutes(45)
        let (restored, _) = try Self.pipeline(journal, configuration: changed, snapshots: SnapshotPolicy())
        let report = try restored.recover()
        #expect(report.snapshotPosition == nil)
        #expect(restored.statistics.snapshot.snapshotsUnusable["configuration"] != nil)
    }

    @Test func aMissingSnapshotIsReportedOnAJournalWithRows() throws {
        let (journal, _) = try Self.journalWithSnapshot(at: 300)
        let database = try DatabaseQueue(path: journal.path)
        try database.write { db in try db.execute(sql: "DELETE FROM snapshot") }
        let (restored, _) = try Self.pipeline(journal, snapshots: SnapshotPolicy())
        #expect(try restored.recover().snapshotPosition == nil)
        #expect(restored.statistics.snapshot.snapshotsUnusable == ["missing": 1])
    }

    /// A purge of rows up to the snapshot keeps it (it reflects them); a purge of a row after it
    /// discards it, in the same transaction, since restoring it would miss that row.
    @Test func aPurgeDiscardsOnlySnapshotsMissingWhatItRemoved() throws {
        let (journal, position) = try Self.journalWithSnapshot(at: 300)
        // No open incident holds rows back.
        try DatabaseQueue(path: journal.path).write { db in try db.execute(sql: "UPDATE incident SET state = 'closed'") }
        let afterPosition = try journal.read { db in
            try Int64.fetchOne(db, sql: "SELECT received_at FROM event WHERE id > ? ORDER BY id LIMIT 1", arguments: [position])!
        }
        let firstTime = try journal.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(received_at) FROM event")! }
        // Up to (not past) the snapshot's row.
        let early = try journal.read { db in
            try Int64.fetchOne(db, sql: "SELECT received_at FROM event WHERE received_at > ? ORDER BY id LIMIT 1", arguments: [firstTime])!
        }
        #expect(try journal.purgeInputs(receivedBefore: early) > 0)
        #expect(try journal.snapshots().map { $0.position } == [position])
        let (restored, _) = try Self.pipeline(journal, snapshots: SnapshotPolicy())
        #expect(try restored.recover().snapshotPosition == position)
        // Past it.
        #expect(try journal.purgeInputs(receivedBefore: afterPosition + 1) > 0)
        #expect(try journal.snapshots().isEmpty)
    }

    @Test func snapshotsAreTakenPeriodicallyAndOnlyTheNewestAreKept() throws {
        let directory = TestEnvironment.temporaryDirectory("snapshot")
        let journal = try Journal(path: directory.appendingPathComponent("j.sqlite").path, synchronousFull: false)
        let (live, inbox) = try Self.pipeline(journal, snapshots: SnapshotPolicy(everyEvents: 3, intervalSeconds: 86_400, kept: 2))
        _ = try live.recover()
        try Self.feed(Self.stream[...], to: live, inbox: inbox, size: 8)
        live.waitForSnapshots()
        #expect(live.takeSnapshot())
        let statistics = live.statistics.snapshot
        #expect(statistics.snapshotsTaken >= 2)
        #expect(statistics.snapshotFailures == 0)
        #expect(statistics.lastSnapshotBytes > 0)
        let stored = try journal.snapshots()
        #expect(stored.count == 2)
        #expect(stored.first?.position == statistics.snapshotPosition)
        // By time: one input, then the interval passes on the (virtual) clock.
        let timed = try Journal(path: directory.appendingPathComponent("t.sqlite").path, synchronousFull: false)
        let (byTime, timedInbox) = try Self.pipeline(timed, snapshots: SnapshotPolicy(everyEvents: 10_000_000, intervalSeconds: 600))
        _ = try byTime.recover()
        try Self.feed(Self.stream[..<2], to: byTime, inbox: timedInbox)
        #expect(byTime.statistics.snapshot.snapshotsTaken == 0)
        try Self.feed(Self.stream[2...], to: byTime, inbox: timedInbox)  // an hour of virtual time
        byTime.waitForSnapshots()
        #expect(byTime.statistics.snapshot.snapshotsTaken >= 1)
    }
}
