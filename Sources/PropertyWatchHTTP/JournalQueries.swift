import GRDB
import PropertyWatchPipeline

/// The operator API's read-only queries over the journal.
enum JournalQueries {
    /// States in which an incident still needs attention.
    static let finishedStates = ["closed", "attributed"]

    static func incidents(in journal: Journal, openOnly: Bool, limit: Int) throws -> [IncidentRecord] {
        try journal.read { db in
            let filter = openOnly ? "WHERE state NOT IN ('closed', 'attributed')" : ""
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, site, state, priority, opened_at, updated_at, last_cause FROM incident
                    \(filter) ORDER BY updated_at DESC, id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map(IncidentRecord.init(row:))
        }
    }

    static func incident(in journal: Journal, id: String) throws -> IncidentDetail? {
        try journal.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT id, site, state, priority, opened_at, updated_at, last_cause FROM incident WHERE id = ?",
                arguments: [id])
            else { return nil }
            let transitions = try Row.fetchAll(
                db,
                sql: "SELECT from_state, to_state, priority, cause, time FROM incident_transition WHERE incident = ? ORDER BY id",
                arguments: [id]
            ).map { TransitionRecord(from: $0[0], to: $0[1], priority: $0[2], cause: $0[3], time: $0[4]) }
            return IncidentDetail(incident: IncidentRecord(row: row), transitions: transitions)
        }
    }

    static func deadLetters(in journal: Journal, limit: Int) throws -> [DeadLetterRecord] {
        try journal.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT received_at, topic, reason, detail, payload_size FROM dead_letter ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { DeadLetterRecord(receivedAt: $0[0], topic: $0[1], reason: $0[2], detail: $0[3], payloadSize: $0[4]) }
        }
    }

    /// Runs a trivial statement: true when the journal answers.
    static func isHealthy(_ journal: Journal) -> Bool {
        (try? journal.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}

extension IncidentRecord {
    init(row: Row) {
        self.init(id: row[0], site: row[1], state: row[2], priority: row[3], openedAt: row[4], updatedAt: row[5], lastCause: row[6])
    }
}
