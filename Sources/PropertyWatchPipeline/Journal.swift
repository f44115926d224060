import Foundation
import GRDB
import GRDBSQLite
import Logging
import PropertyWatchCore

/// The durable journal: an append-only log of every accepted input, dead letters, the
/// outbox of actions, and incident records, in one SQLite database (WAL, `synchronous=FULL`).
///
/// Used from one thread at a time (the pipeline's); each `commit` is one transaction, so a
/// batch of inputs and the actions they caused become durable together (group commit).
public final class Journal: @unchecked Sendable {
    // Safe: GRDB's DatabaseQueue serialises all access.
    public let path: String
    let queue: DatabaseQueue
    private let checkpointer: JournalCheckpointer

    /// Opens (creating or migrating) the journal at `path`.
    ///
    /// Refuses to start, with `JournalError.insufficientSpace`, when the filesystem has less
    /// free space than the WAL preallocation still missing, one growth chunk, and 1 MiB.
    /// - Parameters:
    ///   - walPreallocationBytes: the WAL file is grown to this once (see `preallocateWAL`).
    ///   - growthChunkBytes: the database file grows this much at a time.
    ///   - logger: where the checkpointer reports failures.
    ///
    /// The journal owns a checkpoint thread, which `close()` (or the journal's release) stops;
    /// `Journal.with(path:…) { }` scopes both.
    public init(
        path: String, synchronousFull: Bool = true,
        walPreallocationBytes: Int = 8 << 20, growthChunkBytes: Int = 16 << 20,
        logger: Logger = Logger(label: "propertywatch.journal")
    ) throws {
        self.path = path
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        let required = Int64(max(0, walPreallocationBytes - walSize) + growthChunkBytes + (1 << 20))
        if let available = JournalError.availableBytes(at: path), available < required {
            throw JournalError.insufficientSpace(path: path, availableBytes: available, requiredBytes: required)
        }
        do {
            (queue, checkpointer) = try Self.open(
                path: path, synchronousFull: synchronousFull,
                walPreallocationBytes: walPreallocationBytes, growthChunkBytes: growthChunkBytes, logger: logger)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            let available = JournalError.availableBytes(at: path) ?? 0
            throw JournalError.insufficientSpace(path: path, availableBytes: available, requiredBytes: required)
        } catch {
            throw JournalError.cannotOpen(path: path, reason: "\(error)")
        }
        checkpointer.start()
    }

    /// Opens the journal at `path`, runs `body` with it and closes it again, also when `body`
    /// throws.
    public static func with<R>(
        path: String, synchronousFull: Bool = true, logger: Logger = Logger(label: "propertywatch.journal"),
        _ body: (Journal) throws -> R
    ) throws -> R {
        let journal = try Journal(path: path, synchronousFull: synchronousFull, logger: logger)
        defer { journal.close() }
        return try body(journal)
    }

    /// Stops the checkpoint thread after a last checkpoint attempt. Idempotent; the journal's
    /// commits and reads go on working, only the WAL is no longer copied in the background.
    public func close() {
        checkpointer.stop()
    }

    /// Whether the checkpoint thread runs (until `close()`).
    public var isCheckpointing: Bool { checkpointer.isRunning }

    deinit {
        checkpointer.stop()
    }

    private static func open(
        path: String, synchronousFull: Bool, walPreallocationBytes: Int, growthChunkBytes: Int, logger: Logger
    ) throws -> (DatabaseQueue, JournalCheckpointer) {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronousFull ? "FULL" : "OFF")")
            // Keep the WAL file's pages allocated between checkpoints: fsyncs of a file that
            // does not grow are much cheaper than of one that does.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            // Checkpoints run on their own connection (`JournalCheckpointer`), never in a commit.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // Grow the database file 16 MiB at a time, for the same reason.
            var chunk = Int32(clamping: growthChunkBytes)
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk)
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try migrator.migrate(queue)
        try preallocateWAL(queue, bytes: walPreallocationBytes)
        let checkpointer = try JournalCheckpointer(path: path, logger: logger)
        return (queue, checkpointer)
    }

    /// Grows the WAL file once to `bytes` and checkpoints it, so that commits reuse allocated
    /// pages from the start: an fsync that extends a file costs milliseconds here, one that
    /// does not costs ~0.1 ms. `journal_size_limit` keeps the file from shrinking back.
    static func preallocateWAL(_ queue: DatabaseQueue, bytes: Int = 8 << 20) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: queue.path + "-wal")[.size] as? Int) ?? 0
        guard size < bytes else { return }
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE _wal_growth(b BLOB)")
            try db.execute(sql: "INSERT INTO _wal_growth VALUES (zeroblob(?))", arguments: [bytes])
            try db.execute(sql: "DROP TABLE _wal_growth")
        }
        try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY,
                    received_at INTEGER NOT NULL,
                    topic TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    site TEXT,
                    device TEXT,
                    seq INTEGER
                );
                CREATE INDEX event_received_at ON event(received_at);
                CREATE TABLE dead_letter (
                    id INTEGER PRIMARY KEY,
                    received_at INTEGER NOT NULL,
                    topic TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    payload_size INTEGER NOT NULL
                );
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    sent_at INTEGER
                );
                CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL;
                CREATE TABLE incident (
                    id TEXT PRIMARY KEY,
                    site TEXT NOT NULL,
                    state TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    opened_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    last_cause TEXT NOT NULL
                );
                CREATE TABLE incident_transition (
                    id INTEGER PRIMARY KEY,
                    incident TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    time INTEGER NOT NULL
                );
                CREATE INDEX incident_transition_incident ON incident_transition(incident);
                """)
        }
        // Decision records (why an event did or did not become an incident) and incident kinds.
        migrator.registerMigration("decisions") { db in
            try db.execute(sql: """
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    device TEXT,
                    zone TEXT,
                    partition TEXT,
                    user TEXT,
                    input TEXT NOT NULL,
                    verdict TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    incident TEXT
                );
                CREATE INDEX decision_time ON decision(time);
                CREATE INDEX decision_incident ON decision(incident) WHERE incident IS NOT NULL;
                ALTER TABLE incident ADD COLUMN kind TEXT;
                """)
        }
        migrator.registerMigration("v2-purges") { db in
            try db.execute(sql: """
                CREATE TABLE purge (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    what TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    cutoff INTEGER NOT NULL
                );
                """)
        }
        // The times that matter (`IncidentTimes`), in epoch milliseconds; response and
        // handling time in milliseconds. Null until known.
        migrator.registerMigration("incident-times") { db in
            for column in ["alarm_at", "verified_at", "requested_at", "accepted_at", "en_route_at", "on_site_at", "cleared_at", "response_ms", "handling_ms"] {
                try db.execute(sql: "ALTER TABLE incident ADD COLUMN \(column) INTEGER")
            }
        }
        // The device's own time of an event it buffered and sent late (verdict `late`).
        migrator.registerMigration("decision-event-time") { db in
            try db.execute(sql: "ALTER TABLE decision ADD COLUMN event_time INTEGER")
        }
        registerSnapshotMigration(&migrator)
        return migrator
    }

    /// Runs `body` in one transaction and commits it durably.
    public func commit<T>(_ body: (JournalTransaction) throws -> T) throws -> T {
        try queue.write { db in
            try body(JournalTransaction(db: db))
        }
    }

    /// Every journaled input in order, for rebuilding state at start.
    public func replay(_ body: (StoredEvent) throws -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT id, received_at, topic, payload FROM event ORDER BY id")
            while let row = try rows.next() {
                let payload: [UInt8] = try row.withUnsafeData(atIndex: 3) { data in data.map { Array($0) } ?? [] }
                try body(StoredEvent(id: row[0], receivedAt: row[1], topic: row[2], payload: payload))
            }
        }
    }

    /// Actions committed but not yet confirmed as handed to the broker.
    public func pendingOutbox(after id: Int64 = 0, limit: Int = .max) throws -> [OutboxEntry] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, key, kind, topic, payload FROM outbox WHERE sent_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                arguments: [id, Int64(clamping: limit)])
                .map { OutboxEntry(id: $0[0], key: $0[1], kind: $0[2], topic: $0[3], payload: [UInt8]($0[4] as Data? ?? Data())) }
        }
    }

    /// How many outbox rows were never confirmed as sent.
    public func pendingOutboxCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE sent_at IS NULL") ?? 0 }
    }

    /// Read-only access for queries (operator API, tests).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }
}

extension Journal {
    /// Incident states that are no longer open (for pruning and staleness).
    static let finishedStates = "('cleared', 'closed', 'attributed')"
    /// Journal topics of camera metadata: our camera triggers and Frigate's messages.
    static let cameraTopics = "(topic LIKE '\(Topic.root)/sites/%/cameras/%' OR topic LIKE 'frigate/%')"

    /// Applies `retention` at `now`: removes up to `limit` inputs of each kind (raw events,
    /// camera metadata) older than their period, but none received on or after the (Stockholm)
    /// day the oldest incident still open was opened: its replay needs them, and incidents are
    /// numbered per day, so a replay starts at the start of a day. Also dead letters, sent
    /// outbox rows, and incidents closed longer ago than their period.
    /// Every purge that removed something is recorded in the same transaction.
    /// Returns the records and whether more inputs are due (call again).
    public func purge(now: Int64, retention: JournalRetention, limit: Int = 10_000) throws -> (records: [PurgeRecord], unfinished: Bool) {
        try queue.write { db in
            // The start of the Stockholm day the oldest open incident opened on.
            let openSince = try Int64.fetchOne(db, sql: "SELECT MIN(opened_at) FROM incident WHERE state NOT IN \(Self.finishedStates)")
                .map { StockholmTime.resolve(StockholmTime.local(Timestamp(millisecondsSinceEpoch: $0)).date, LocalTime(hour: 0)).millisecondsSinceEpoch }
            var records: [PurgeRecord] = []
            func record(_ what: String, _ cutoff: Int64) throws {
                let count = db.changesCount
                guard count > 0 else { return }
                try db.execute(
                    sql: "INSERT INTO purge(time, what, count, cutoff) VALUES (?, ?, ?, ?)",
                    arguments: [now, what, count, cutoff])
                records.append(PurgeRecord(what: what, count: count, time: now, cutoff: cutoff))
            }
            let eventCutoff = now - retention.events.value
            let cameraCutoff = now - retention.cameraMetadata.value
            let incidentCutoff = now - retention.incidents.value
            // A snapshot that does not reflect a row purged here would miss it (`Journal+Snapshots`).
            try Self.discardSnapshots(in: db, before: Self.lastPurged(
                in: db, filter: "received_at < ?", arguments: [min(eventCutoff, openSince ?? eventCutoff), limit]))
            try db.execute(
                sql: "DELETE FROM event WHERE id IN (SELECT id FROM event WHERE received_at < ? ORDER BY id LIMIT ?)",
                arguments: [min(eventCutoff, openSince ?? eventCutoff), limit])
            let events = db.changesCount
            try record("events", eventCutoff)
            try Self.discardSnapshots(in: db, before: Self.lastPurged(
                in: db, filter: "received_at < ? AND \(Self.cameraTopics)", arguments: [min(cameraCutoff, openSince ?? cameraCutoff), limit]))
            try db.execute(
                sql: "DELETE FROM event WHERE id IN (SELECT id FROM event WHERE received_at < ? AND \(Self.cameraTopics) ORDER BY id LIMIT ?)",
                arguments: [min(cameraCutoff, openSince ?? cameraCutoff), limit])
            let cameras = db.changesCount
            try record("camera-events", cameraCutoff)
            try db.execute(sql: "DELETE FROM dead_letter WHERE received_at < ?", arguments: [eventCutoff])
            try record("dead-letters", eventCutoff)
            try db.execute(sql: "DELETE FROM dead_letter WHERE received_at < ? AND \(Self.cameraTopics)", arguments: [cameraCutoff])
            try record("camera-dead-letters", cameraCutoff)
            try db.execute(sql: "DELETE FROM outbox WHERE sent_at IS NOT NULL AND created_at < ?", arguments: [eventCutoff])
            try record("outbox", eventCutoff)
            let finished = "SELECT id FROM incident WHERE state IN \(Self.finishedStates) AND updated_at < ?"
            // Decision records explain incidents: they are kept as long as incidents are.
            try db.execute(sql: "DELETE FROM decision WHERE time < ?", arguments: [incidentCutoff])
            try record("decisions", incidentCutoff)
            try db.execute(sql: "DELETE FROM incident_transition WHERE incident IN (\(finished))", arguments: [incidentCutoff])
            try db.execute(sql: "DELETE FROM incident WHERE id IN (\(finished))", arguments: [incidentCutoff])
            try record("incidents", incidentCutoff)
            return (records, events == limit || cameras == limit)
        }
    }

    /// Incidents still open that opened before `cutoff`, oldest first.
    public func openIncidents(openedBefore cutoff: Int64) throws -> [String] {
        try queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM incident WHERE state NOT IN \(Self.finishedStates) AND opened_at < ? ORDER BY opened_at, id",
                arguments: [cutoff])
        }
    }

    /// The latest purges, newest first.
    public func purges(limit: Int) throws -> [PurgeRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT what, count, time, cutoff FROM purge ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map { PurgeRecord(what: $0[0], count: $0[1], time: $0[2], cutoff: $0[3]) }
        }
    }
}

/// One journaled input.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var receivedAt: Int64
    public var topic: String
    public var payload: [UInt8]
}

/// One action waiting in, or sent from, the outbox.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var key: String
    public var kind: String
    public var topic: String
    public var payload: [UInt8]
}
