import Foundation
import GRDB
import PropertyWatchPipeline
import PropertyWatchReport

/// The operational part of `/metrics`, read from the journal at scrape time: incidents by
/// priority and state, response times, dispatches and escalations, warnings by code, units
/// by state, supervision faults, journal commit latency and size.
///
/// These are derived from the journal, which is the source of truth and survives restarts,
/// so they are rendered directly rather than kept in swift-metrics counters that a restart
/// would reset.
enum OperatorMetrics {
    /// Upper bounds (seconds) of the response-time histogram: alarm to guard on site.
    static let responseBuckets: [Int64] = [120, 300, 600, 900, 1200, 1800, 2700, 3600]

    static func render(queries: JournalQueries, backend: some OperatorBackend, feed: LiveFeed) async -> String {
        var out = ""
        func header(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        func label(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }

        let s = backend.statistics
        header("propertywatch_journal_commit_seconds", "histogram", "Duration of journal commits.")
        for (i, bound) in PipelineStatistics.commitBucketBounds.enumerated() {
            out += "propertywatch_journal_commit_seconds_bucket{le=\"\(Double(bound) / 1_000_000)\"} \(s.commitBuckets[i])\n"
        }
        out += "propertywatch_journal_commit_seconds_bucket{le=\"+Inf\"} \(s.commitCount)\n"
        out += "propertywatch_journal_commit_seconds_sum \(Double(s.commitMicrosecondsSum) / 1_000_000)\n"
        out += "propertywatch_journal_commit_seconds_count \(s.commitCount)\n"

        let path = backend.journal.path
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int64) ?? 0)
        }
        header("propertywatch_journal_bytes", "gauge", "Size of the journal database and its write-ahead log.")
        out += "propertywatch_journal_bytes \(size)\n"
        header("propertywatch_journal_ok", "gauge", "1 while the journal can be read.")
        out += "propertywatch_journal_ok \(await queries.isHealthy() ? 1 : 0)\n"
        header("propertywatch_live_subscribers", "gauge", "Open dashboard event streams.")
        out += "propertywatch_live_subscribers \(feed.subscriberCount)\n"

        guard let aggregates = try? await queries.metricAggregates(now: backend.now()?.millisecondsSinceEpoch ?? 0) else { return out }
        header("propertywatch_incidents_opened_total", "counter", "Incidents opened, by priority (within the journal's retention).")
        for (priority, count) in aggregates.opened.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_incidents_opened_total{priority=\"\(label(priority))\"} \(count)\n"
        }
        header("propertywatch_incidents_closed_total", "counter", "Incidents finished, by priority and final state (closed, cleared, attributed).")
        for (priority, states) in aggregates.closed.sorted(by: { $0.key < $1.key }) {
            for (state, count) in states.sorted(by: { $0.key < $1.key }) {
                out += "propertywatch_incidents_closed_total{priority=\"\(label(priority))\",state=\"\(label(state))\"} \(count)\n"
            }
        }
        header("propertywatch_incidents_open", "gauge", "Open incidents, by priority.")
        for (priority, count) in aggregates.open.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_incidents_open{priority=\"\(label(priority))\"} \(count)\n"
        }
        header("propertywatch_response_seconds", "histogram", "From an incident's opening to a guard on site.")
        for bound in responseBuckets {
            out += "propertywatch_response_seconds_bucket{le=\"\(bound)\"} \(aggregates.responses.filter { $0 <= bound * 1000 }.count)\n"
        }
        out += "propertywatch_response_seconds_bucket{le=\"+Inf\"} \(aggregates.responses.count)\n"
        out += "propertywatch_response_seconds_sum \(Double(aggregates.responses.reduce(0, +)) / 1000)\n"
        out += "propertywatch_response_seconds_count \(aggregates.responses.count)\n"
        header("propertywatch_dispatches_total", "counter", "Guard requests, by attempt (1 = first unit, more = escalation to the next).")
        for (attempt, count) in aggregates.dispatches.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_dispatches_total{attempt=\"\(attempt)\"} \(count)\n"
        }
        header("propertywatch_escalations_total", "counter", "Escalations, by target.")
        for target in ["central", "on-call"] {
            out += "propertywatch_escalations_total{target=\"\(target)\"} \(aggregates.escalations[target] ?? 0)\n"
        }
        header("propertywatch_warnings_total", "counter", "Non-incident records (warnings), by code.")
        for (code, count) in aggregates.warnings.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_warnings_total{code=\"\(label(code))\"} \(count)\n"
        }
        header("propertywatch_units", "gauge", "Patrol units by their last reported state (last 24 h; unknown if none).")
        let configured = Set(backend.configuration.patrol.units.map(\.id.rawValue))
        var byState: [String: Int] = [:]
        for unit in configured { byState[aggregates.unitStates[unit] ?? "unknown", default: 0] += 1 }
        for (state, count) in byState.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_units{state=\"\(label(state))\"} \(count)\n"
        }
        header("propertywatch_supervision_faults", "gauge", "Devices or links reported silent and not back, by site.")
        for (site, count) in aggregates.faults.sorted(by: { $0.key < $1.key }) {
            out += "propertywatch_supervision_faults{site=\"\(label(site))\"} \(count)\n"
        }
        return out
    }
}

/// The journal aggregates behind `/metrics`.
struct MetricAggregates {
    var opened: [String: Int] = [:]
    /// By priority, then final state.
    var closed: [String: [String: Int]] = [:]
    var open: [String: Int] = [:]
    var responses: [Int64] = []
    var dispatches: [Int: Int] = [:]
    var escalations: [String: Int] = [:]
    var warnings: [String: Int] = [:]
    var unitStates: [String: String] = [:]
    var faults: [String: Int] = [:]
}

extension JournalQueries {
    func metricAggregates(now: Int64) async throws -> MetricAggregates {
        try await queue.read { db in
            var a = MetricAggregates()
            for row in try Row.fetchAll(db, sql: "SELECT priority, state, COUNT(*) FROM incident GROUP BY priority, state") {
                let priority: String = row[0], state: String = row[1], count: Int = row[2]
                a.opened[priority, default: 0] += count
                if Board.finishedStates.contains(state) { a.closed[priority, default: [:]][state, default: 0] += count } else { a.open[priority, default: 0] += count }
            }
            a.responses = try Int64.fetchAll(
                db,
                sql: """
                    SELECT MIN(t.time) - i.opened_at FROM incident i JOIN incident_transition t ON t.incident = i.id
                    WHERE t.to_state = 'on-site' GROUP BY i.id
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM outbox WHERE kind IN ('central', 'on-call') GROUP BY kind") {
                a.escalations[row[0]] = row[1]
            }
            for row in try Row.fetchAll(db, sql: "SELECT payload FROM outbox WHERE kind = 'guard-request'") {
                let payload: Data = row[0]
                let attempt = Self.object(payload)["attempt"] as? Int ?? 1
                a.dispatches[attempt, default: 0] += 1
            }
            var open: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT payload FROM outbox WHERE kind = 'warning' ORDER BY id") {
                let payload: Data = row[0]
                let json = Self.object(payload)
                let code = json.string("code")
                a.warnings[code, default: 0] += 1
                guard let site = json["site"] as? String else { continue }
                switch code {
                case "device-offline", "communication-failure": open[site, default: 0] += 1
                case "device-restored": open[site] = max(0, (open[site] ?? 0) - 1)
                default: break
                }
            }
            a.faults = open
            for row in try Row.fetchAll(
                db,
                sql: "SELECT device, payload, MAX(id) FROM event WHERE received_at >= ? AND topic LIKE 'propertywatch/v1/units/%/status' GROUP BY device",
                arguments: [now - 86_400_000])
            {
                let unit: String? = row[0], payload: Data = row[1]
                if let unit, let state = Self.object(payload)["state"] as? String { a.unitStates[unit] = state }
            }
            return a
        }
    }
}
