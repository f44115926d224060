import Foundation
import GRDB
import PropertyWatchPipeline

/// The operator API's read-only queries over the journal, on a connection of their own:
/// the journal is in WAL mode, so they never wait for (or hold up) the pipeline's commits.
struct JournalQueries: Sendable {
    private let queue: DatabaseQueue

    init(journal: Journal) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "operator-api"
        queue = try DatabaseQueue(path: journal.path, configuration: configuration)
    }

    func incidents(openOnly: Bool, limit: Int) throws -> [IncidentRecord] {
        try queue.read { db in
            let filter = openOnly ? "WHERE state NOT IN ('closed', 'attributed')" : ""
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.incidentColumns) FROM incident
                    \(filter) ORDER BY updated_at DESC, id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map(IncidentRecord.init(row:))
        }
    }

    func incident(id: String) throws -> IncidentDetail? {
        try queue.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.incidentColumns) FROM incident WHERE id = ?",
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

    static let incidentColumns = """
        id, site, state, priority, opened_at, updated_at, last_cause, alarm_at, verified_at, requested_at,
        accepted_at, en_route_at, on_site_at, cleared_at, response_ms, handling_ms
        """

    /// The latest plan published per unit, in unit-topic order.
    func plans() throws -> [UnitPlanRecord] {
        let payloads = try queue.read { db in
            try Data.fetchAll(
                db, sql: """
                    SELECT payload FROM outbox WHERE id IN (SELECT MAX(id) FROM outbox WHERE kind = 'plan' GROUP BY topic)
                    ORDER BY topic
                    """)
        }
        let decoder = JSONDecoder()
        return payloads.compactMap { try? decoder.decode(UnitPlanRecord.self, from: $0) }
    }

    func deadLetters(limit: Int) throws -> [DeadLetterRecord] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT received_at, topic, reason, detail, payload_size FROM dead_letter ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { DeadLetterRecord(receivedAt: $0[0], topic: $0[1], reason: $0[2], detail: $0[3], payloadSize: $0[4]) }
        }
    }

    /// True when the journal can be read and has its tables.
    var isHealthy: Bool {
        let tables: Int? = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
        return (tables ?? 0) > 0
    }
}

extension IncidentRecord {
    init(row: Row) {
        self.init(id: row[0], site: row[1], state: row[2], priority: row[3], openedAt: row[4], updatedAt: row[5], lastCause: row[6])
        let times = IncidentTimesRecord(
            alarm: row[7], verified: row[8], requested: row[9], accepted: row[10], enRoute: row[11], onSite: row[12],
            cleared: row[13], responseTime: row[14], handlingTime: row[15])
        // Only once the dispatch side has recorded any (the request time is always among them).
        if times.requested != nil || times.alarm != nil { self.times = times }
    }
}
