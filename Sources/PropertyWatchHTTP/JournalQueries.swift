import Foundation
import GRDB
import PropertyWatchPipeline

/// The operator API's read-only queries over the journal, on connections of their own: the
/// journal is in WAL mode, so they never wait for (or hold up) the pipeline's commits. Reads
/// are `async` (GRDB runs them on its own reader threads, never blocking the server's event
/// loops or Swift's cooperative pool) and several may run at once (a pool of readers).
struct JournalQueries: Sendable {
    let queue: DatabasePool

    init(journal: Journal) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "operator-api"
        queue = try DatabasePool(path: journal.path, configuration: configuration)
    }

    func incidents(openOnly: Bool, limit: Int) async throws -> [IncidentRecord] {
        try await queue.read { db in
            let filter = openOnly ? "WHERE state NOT IN ('cleared', 'closed', 'attributed')" : ""
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

    func incident(id: String) async throws -> IncidentDetail? {
        try await queue.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.incidentColumns) FROM incident WHERE id = ?",
                arguments: [id])
            else { return nil }
            let transitions = try Row.fetchAll(
                db,
                sql: "SELECT from_state, to_state, priority, cause, time FROM incident_transition WHERE incident = ? ORDER BY id",
                arguments: [id]
            ).map { TransitionRecord(from: $0[0], to: $0[1], priority: $0[2], cause: $0[3], time: $0[4]) }
            let decisions = try Row.fetchAll(
                db, sql: "SELECT \(Self.decisionColumns) FROM decision WHERE incident = ? ORDER BY id", arguments: [id]
            ).map(DecisionRecord.init(row:))
            return IncidentDetail(incident: IncidentRecord(row: row), transitions: transitions, decisions: decisions)
        }
    }

    static let decisionColumns = "time, site, device, zone, partition, user, input, verdict, rule, reason, incident, event_time"

    /// Decision records, newest first, filtered by whichever of site, zone, verdict and incident
    /// are given; with `byEventTime`, in the order the events happened (a late event's own time,
    /// else its receive time), oldest first.
    func decisions(
        site: String?, zone: String?, verdict: String?, incident: String?, byEventTime: Bool = false, limit: Int
    ) async throws -> [DecisionRecord] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        for (column, value) in [("site", site), ("zone", zone), ("verdict", verdict), ("incident", incident)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        arguments.append(limit)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statementArguments = StatementArguments(arguments)
        return try await queue.read { db in
            try Row.fetchAll(
                db, sql: byEventTime
                    ? "SELECT * FROM (SELECT \(Self.decisionColumns), id FROM decision \(filter) ORDER BY id DESC LIMIT ?) ORDER BY COALESCE(event_time, time), id"
                    : "SELECT \(Self.decisionColumns) FROM decision \(filter) ORDER BY id DESC LIMIT ?",
                arguments: statementArguments
            ).map(DecisionRecord.init(row:))
        }
    }

    static let incidentColumns = """
        id, site, state, priority, opened_at, updated_at, last_cause, alarm_at, verified_at, requested_at,
        accepted_at, en_route_at, on_site_at, cleared_at, response_ms, handling_ms, kind
        """

    /// The latest plan published per unit, in unit-topic order.
    func plans() async throws -> [UnitPlanRecord] {
        let payloads = try await queue.read { db in
            try Data.fetchAll(
                db, sql: """
                    SELECT payload FROM outbox WHERE id IN (SELECT MAX(id) FROM outbox WHERE kind = 'plan' GROUP BY topic)
                    ORDER BY topic
                    """)
        }
        let decoder = JSONDecoder()
        return payloads.compactMap { try? decoder.decode(UnitPlanRecord.self, from: $0) }
    }

    func deadLetters(limit: Int) async throws -> [DeadLetterRecord] {
        try await queue.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT received_at, topic, reason, detail, payload_size FROM dead_letter ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { DeadLetterRecord(receivedAt: $0[0], topic: $0[1], reason: $0[2], detail: $0[3], payloadSize: $0[4]) }
        }
    }

    /// The latest purges (retention runs and stale closes), newest first.
    func purges(limit: Int) async throws -> [PurgeRecord] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT what, count, time, cutoff FROM purge ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map { PurgeRecord(what: $0[0], count: $0[1], time: $0[2], cutoff: $0[3]) }
        }
    }

    /// True when the journal can be read and has its tables.
    func isHealthy() async -> Bool {
        let tables: Int? = try? await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
        return (tables ?? 0) > 0
    }
}

extension IncidentRecord {
    init(row: Row) {
        self.init(
            id: row[0], site: row[1], state: row[2], priority: row[3], openedAt: row[4], updatedAt: row[5], lastCause: row[6],
            kind: row[16])
        let times = IncidentTimesRecord(
            alarm: row[7], verified: row[8], requested: row[9], accepted: row[10], enRoute: row[11], onSite: row[12],
            cleared: row[13], responseTime: row[14], handlingTime: row[15])
        // Only once the dispatch side has recorded any (the request time is always among them).
        if times.requested != nil || times.alarm != nil { self.times = times }
    }
}

extension DecisionRecord {
    init(row: Row) {
        let eventTime: Int64? = row[11]
        self.init(
            time: row[0], site: row[1], device: row[2], zone: row[3], partition: row[4], user: row[5], input: row[6],
            verdict: row[7], rule: row[8], reason: row[9], incident: row[10], eventTime: eventTime,
            late: eventTime.map { _ in true })
    }
}
