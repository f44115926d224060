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
    public init(path: String, synchronousFull: Bool = true) throws {
        self.path = path
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
            var chunk: Int32 = 16 << 20
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk)
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
        try Self.preallocateWAL(queue)
        checkpointer = try JournalCheckpointer(path: path, logger: Logger(label: "propertywatch.journal"))
        checkpointer.start()
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
        // The times that matter (`IncidentTimes`), in epoch milliseconds; response and
        // handling time in milliseconds. Null until known.
        migrator.registerMigration("incident-times") { db in
            for column in ["alarm_at", "verified_at", "requested_at", "accepted_at", "en_route_at", "on_site_at", "cleared_at", "response_ms", "handling_ms"] {
                try db.execute(sql: "ALTER TABLE incident ADD COLUMN \(column) INTEGER")
            }
        }
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

    /// Deletes up to `limit` journaled inputs received before `cutoff`, but none received on or
    /// after the (Stockholm) day the oldest incident still open was opened: its replay needs
    /// them, and incidents are numbered per day, so a replay starts at the start of a day.
    /// Also old dead letters and sent outbox rows. Incidents and their transitions are kept.
    /// Returns the number of inputs removed; call again while it returns `limit`.
    @discardableResult
    public func prune(receivedBefore cutoff: Int64, limit: Int = 10_000) throws -> Int {
        try queue.write { db in
            let oldestOpen = try Int64.fetchOne(db, sql: """
                SELECT MIN(opened_at) FROM incident WHERE state NOT IN ('cleared', 'closed', 'attributed')
                """)
            let dayOfOldest = oldestOpen.map {
                StockholmTime.resolve(StockholmTime.local(Timestamp(millisecondsSinceEpoch: $0)).date, LocalTime(hour: 0))
                    .millisecondsSinceEpoch
            }
            let bound = min(cutoff, dayOfOldest ?? cutoff)
            try db.execute(
                sql: "DELETE FROM event WHERE id IN (SELECT id FROM event WHERE received_at < ? ORDER BY id LIMIT ?)",
                arguments: [bound, limit])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM dead_letter WHERE received_at < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM outbox WHERE sent_at IS NOT NULL AND created_at < ?", arguments: [cutoff])
            return removed
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
