import GRDB
import GRDBSQLite
import PropertyWatchCore

/// Writes within one journal transaction. Inserts bind straight from caller-owned buffers
/// through prepared statements, so journaling a batch copies each payload only into SQLite.
public struct JournalTransaction {
    let db: Database

    /// Appends one accepted input.
    public func insertEvent(
        receivedAt: Int64, topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer,
        site: String?, device: String?, sequence: Int64?
    ) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO event(received_at, topic, payload, site, device, seq) VALUES (?, ?, ?, ?, ?, ?)")
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        sqlite3_bind_int64(s, 1, receivedAt)
        sqlite3_bind_text(s, 2, topic.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(topic.count), SQLITE_TRANSIENT)
        sqlite3_bind_blob(s, 3, payload.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(payload.count), SQLITE_TRANSIENT)
        bind(s, 4, site)
        bind(s, 5, device)
        if let sequence { sqlite3_bind_int64(s, 6, sequence) } else { sqlite3_bind_null(s, 6) }
        try step(s)
    }

    /// The id of the last journaled input, this transaction's included (0: none).
    public func lastEventID() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM event")) ?? 0
    }

    /// Stores a refused input with its reason; the payload is capped at `payloadCap` bytes.
    public func insertDeadLetter(
        receivedAt: Int64, topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer,
        rejection: Rejection, payloadCap: Int = 1024
    ) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO dead_letter(received_at, topic, reason, detail, payload, payload_size) VALUES (?, ?, ?, ?, ?, ?)")
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        sqlite3_bind_int64(s, 1, receivedAt)
        sqlite3_bind_text(s, 2, topic.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(min(topic.count, 512)), SQLITE_TRANSIENT)
        bind(s, 3, rejection.reason.rawValue)
        bind(s, 4, String(rejection.detail.prefix(256)))
        sqlite3_bind_blob(s, 5, payload.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(min(payload.count, payloadCap)), SQLITE_TRANSIENT)
        sqlite3_bind_int64(s, 6, Int64(payload.count))
        try step(s)
    }

    /// Adds an action to the outbox; returns false when an action with the same key is already
    /// there (a replay or re-derivation produced it again), in which case it must not be sent.
    public func insertOutbox(key: String, kind: String, topic: String, payload: [UInt8], createdAt: Int64) throws -> Int64? {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO outbox(key, created_at, kind, topic, payload) VALUES (?, ?, ?, ?, ?)")
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        bind(s, 1, key)
        sqlite3_bind_int64(s, 2, createdAt)
        bind(s, 3, kind)
        bind(s, 4, topic)
        payload.withUnsafeBytes { p in
            _ = sqlite3_bind_blob(s, 5, p.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(p.count), SQLITE_TRANSIENT)
        }
        try step(s)
        return db.changesCount == 1 ? db.lastInsertedRowID : nil
    }

    /// Marks outbox rows as handed to the broker.
    public func markSent(_ ids: [Int64], at time: Int64) throws {
        let statement = try db.cachedStatement(sql: "UPDATE outbox SET sent_at = ? WHERE id = ?")
        for id in ids {
            try statement.execute(arguments: [time, id])
        }
    }

    /// Records why an event did or did not become an incident.
    public func record(_ decision: Decision) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO decision(time, site, device, zone, partition, user, input, verdict, rule, reason, incident, event_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [decision.time.millisecondsSinceEpoch, decision.site.rawValue, decision.device?.rawValue,
                        decision.zone?.rawValue, decision.partition?.rawValue, decision.user?.rawValue, decision.input,
                        decision.verdict.rawValue, decision.rule, decision.reason, decision.incident?.rawValue,
                        decision.eventTime?.millisecondsSinceEpoch])
    }

    /// Records an incident's change of state and keeps the incident row current.
    public func record(_ transition: IncidentTransition) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO incident_transition(incident, from_state, to_state, priority, cause, time)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [transition.incident.rawValue, transition.from?.rawValue, transition.to.rawValue,
                        transition.priority.name, transition.cause, transition.time.millisecondsSinceEpoch])
        try db.cachedStatement(
            sql: """
                INSERT INTO incident(id, site, state, priority, opened_at, updated_at, last_cause, kind)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, priority = excluded.priority,
                    updated_at = excluded.updated_at, last_cause = excluded.last_cause,
                    kind = coalesce(excluded.kind, incident.kind)
                """).execute(
            arguments: [transition.incident.rawValue, transition.site.rawValue, transition.to.rawValue,
                        transition.priority.name, transition.time.millisecondsSinceEpoch,
                        transition.time.millisecondsSinceEpoch, transition.cause, transition.kind?.rawValue])
        if let times = transition.times {
            try db.cachedStatement(
                sql: """
                    UPDATE incident SET alarm_at = ?, verified_at = ?, requested_at = ?, accepted_at = ?,
                        en_route_at = ?, on_site_at = ?, cleared_at = ?, response_ms = ?, handling_ms = ?
                    WHERE id = ?
                    """).execute(
                arguments: [times.alarm?.millisecondsSinceEpoch, times.verified?.millisecondsSinceEpoch,
                            times.requested?.millisecondsSinceEpoch, times.accepted?.millisecondsSinceEpoch,
                            times.enRoute?.millisecondsSinceEpoch, times.onSite?.millisecondsSinceEpoch,
                            times.cleared?.millisecondsSinceEpoch, times.responseTime?.value, times.handlingTime?.value,
                            transition.incident.rawValue])
        }
    }

    /// Records a purge (or the closing of stale incidents) in this transaction.
    public func recordPurge(_ record: PurgeRecord) throws {
        try db.execute(
            sql: "INSERT INTO purge(time, what, count, cutoff) VALUES (?, ?, ?, ?)",
            arguments: [record.time, record.what, record.count, record.cutoff])
    }

        private func bind(_ s: OpaquePointer, _ index: Int32, _ text: String?) {
        guard var utf8 = text else {
            sqlite3_bind_null(s, index)
            return
        }
        utf8.withUTF8 { u in
            _ = sqlite3_bind_text(s, index, UnsafeRawPointer(u.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(u.count), SQLITE_TRANSIENT)
        }
    }

    private func step(_ s: OpaquePointer) throws {
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
        }
    }
}

/// SQLite's "copy the bound bytes now" destructor.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
