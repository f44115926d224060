import Foundation
import GRDB
import PropertyWatchCore

/// Snapshots of the core's state, kept in the journal's own database so that a snapshot and
/// the inputs it reflects are committed by the same SQLite (never one without the other).
///
/// How snapshots and retention fit together: a snapshot at `position` reflects every input up
/// to that row, so purging rows at or before it loses nothing (the snapshot makes that history
/// irrelevant; a full replay after such a purge would rebuild less). Purging a row *after* it
/// would: the snapshot plus the remaining tail would silently miss that input. So every purge
/// discards, in its own transaction, the snapshots older than the newest row it removed
/// (`discardSnapshots(before:)`), and a start without a usable snapshot replays what the
/// journal still holds, as before snapshots existed. Snapshots are taken every few minutes and
/// retention is counted in days, so in practice a purge only ever removes rows before the
/// newest snapshot, and retention never waits for a snapshot (camera metadata is deleted on
/// time whatever happens to snapshots).
extension Journal {
    static func registerSnapshotMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("snapshots") { db in
            try db.execute(sql: """
                CREATE TABLE snapshot (
                    id INTEGER PRIMARY KEY,
                    journal_position INTEGER NOT NULL,
                    taken_at INTEGER NOT NULL,
                    config_fingerprint TEXT NOT NULL,
                    format INTEGER NOT NULL,
                    checksum INTEGER NOT NULL,
                    state BLOB NOT NULL
                );
                """)
        }
    }

    /// Stores `snapshot` and keeps only the newest `kept`, in one transaction.
    /// `snapshot.position` must be the last journal row the state reflects (see `lastEventID`).
    public func writeSnapshot(_ snapshot: WatchSnapshot, kept: Int) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO snapshot(journal_position, taken_at, config_fingerprint, format, checksum, state)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshot.position, snapshot.takenAt.millisecondsSinceEpoch, snapshot.configuration, snapshot.format,
                    Int64(bitPattern: snapshot.checksum), Data(snapshot.state),
                ])
            try db.execute(
                sql: "DELETE FROM snapshot WHERE id NOT IN (SELECT id FROM snapshot ORDER BY journal_position DESC, id DESC LIMIT ?)",
                arguments: [max(1, kept)])
        }
    }

    /// The stored snapshots, newest first.
    public func snapshots() throws -> [WatchSnapshot] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT format, journal_position, taken_at, config_fingerprint, state, checksum
                FROM snapshot ORDER BY journal_position DESC, id DESC
                """)
                .map { row in
                    WatchSnapshot(
                        format: row[0], position: row[1], takenAt: Timestamp(millisecondsSinceEpoch: row[2]),
                        configuration: row[3], state: [UInt8](row[4] as Data? ?? Data()),
                        checksum: UInt64(bitPattern: row[5] as Int64))
                }
        }
    }

    /// The id of the last journaled input (0 for an empty journal).
    public func lastEventID() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM event") ?? 0 }
    }

    /// Journaled inputs after row `position`, in order.
    public func replay(after position: Int64, _ body: (StoredEvent) throws -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, received_at, topic, payload FROM event WHERE id > ? ORDER BY id", arguments: [position])
            while let row = try rows.next() {
                let payload: [UInt8] = try row.withUnsafeData(atIndex: 3) { data in data.map { Array($0) } ?? [] }
                try body(StoredEvent(id: row[0], receivedAt: row[1], topic: row[2], payload: payload))
            }
        }
    }

    /// Drops the snapshots that do not reflect row `id`, which is about to be purged: restored,
    /// they would miss it. Runs inside the purge's transaction.
    static func discardSnapshots(in db: Database, before id: Int64?) throws {
        guard let id else { return }
        try db.execute(sql: "DELETE FROM snapshot WHERE journal_position < ?", arguments: [id])
    }

    /// The newest row `DELETE FROM event WHERE id IN (SELECT id FROM event WHERE <filter> ORDER BY id LIMIT ?)` removes.
    static func lastPurged(in db: Database, filter: String, arguments: StatementArguments) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM (SELECT id FROM event WHERE \(filter) ORDER BY id LIMIT ?)", arguments: arguments)
    }
}
