import Foundation
import GRDB
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchReport

extension JournalQueries {
    /// Everything journaled between `from` and `to` (milliseconds since the epoch) that the
    /// report, the board and timelines are made from.
    func records(from: Int64, to: Int64) async throws -> NightRecords {
        try await queue.read { db in
            var records = NightRecords()
            // The latest opening or closing per site and partition, whenever it was.
            records.armChanges = try Row.fetchAll(
                db,
                sql: """
                    SELECT site, partition, verdict, user, time FROM decision
                    WHERE id IN (SELECT MAX(id) FROM decision WHERE verdict IN ('opening', 'closing') AND time < ? GROUP BY site, partition)
                    """,
                arguments: [to]
            ).map { NightRecords.ArmChange(site: $0[0], partition: $0[1], set: ($0[2] as String) == "closing", user: $0[3], time: $0[4]) }
            records.transitions = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.incident, i.site, t.from_state, t.to_state, t.priority, t.cause, t.time
                    FROM incident_transition t JOIN incident i ON i.id = t.incident
                    WHERE t.time >= ? AND t.time < ? ORDER BY t.id
                    """,
                arguments: [from, to]
            ).map { NightRecords.Transition(incident: $0[0], site: $0[1], from: $0[2], to: $0[3], priority: $0[4], cause: $0[5], time: $0[6]) }

            let outbox = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, created_at, payload FROM outbox
                    WHERE created_at >= ? AND created_at < ? AND kind IN ('guard-request', 'central', 'on-call', 'warning') ORDER BY id
                    """,
                arguments: [from, to])
            for row in outbox {
                let kind: String = row[0], time: Int64 = row[1], payload: Data = row[2]
                let json = Self.object(payload)
                switch kind {
                case "guard-request":
                    records.guardRequests.append(NightRecords.GuardRequestSent(
                        incident: json.string("incident"), unit: json.string("unit"), site: json.string("site"),
                        priority: json.string("priority"), verification: json.string("verification"),
                        triggers: json["triggers"] as? [String] ?? [], attempt: json["attempt"] as? Int ?? 1, time: time))
                case "warning":
                    records.warnings.append(NightRecords.Warning(
                        site: json["site"] as? String, code: json.string("code"), message: json.string("message"), time: time))
                default:
                    records.escalations.append(NightRecords.Escalation(incident: json.string("incident"), target: kind, time: time))
                }
            }

            let operatorRows = try Row.fetchAll(
                db, sql: "SELECT received_at, payload FROM event WHERE topic = ? AND received_at >= ? AND received_at < ? ORDER BY id",
                arguments: [OperatorInput.topic, from, to])
            for row in operatorRows {
                let payload: Data = row[1]
                guard let input = OperatorInput.decode(Array(payload)) else { continue }
                records.operatorActions.append(Self.action(input, time: row[0]))
            }

            let unitRows = try Row.fetchAll(
                db,
                sql: "SELECT received_at, topic, payload FROM event WHERE received_at >= ? AND received_at < ? AND topic LIKE 'propertywatch/v1/units/%' ORDER BY id",
                arguments: [from, to])
            for row in unitRows {
                let time: Int64 = row[0], topic: String = row[1], payload: Data = row[2]
                let parts = topic.split(separator: "/")
                guard parts.count == 5 else { continue }
                let unit = String(parts[3]), json = Self.object(payload)
                switch parts[4] {
                case "position":
                    records.unitMessages.append(.init(kind: "position", unit: unit, latitude: json["lat"] as? Double, longitude: json["lon"] as? Double, time: time))
                case "status":
                    records.unitMessages.append(.init(kind: "status", unit: unit, state: json["state"] as? String, time: time))
                case "checkin":
                    records.unitMessages.append(.init(kind: "checkin", unit: unit, site: json["site"] as? String, state: json["method"] as? String, time: time))
                case "replies":
                    records.unitMessages.append(.init(kind: "reply", unit: unit, state: json["kind"] as? String, incident: json["incident"] as? String, time: time))
                default:
                    continue
                }
            }

            for row in try Row.fetchAll(
                db, sql: "SELECT reason, COUNT(*) FROM dead_letter WHERE received_at >= ? AND received_at < ? GROUP BY reason",
                arguments: [from, to])
            {
                records.rejected[row[0]] = row[1]
            }
            return records
        }
    }

    /// The alarm and camera inputs of `site` between `from` and `to` (at most 500).
    func inputs(site: String, from: Int64, to: Int64) async throws -> [NightRecords.Input] {
        try await queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT received_at, topic, payload, device FROM event
                    WHERE received_at >= ? AND received_at <= ? AND site = ? AND (topic LIKE '%/alarms/%' OR topic LIKE '%/cameras/%' OR topic LIKE 'frigate/%')
                    ORDER BY id LIMIT 500
                    """,
                arguments: [from, to, site]
            ).map { row in
                let topic: String = row[1], payload: Data = row[2], device: String? = row[3]
                let json = Self.object(payload)
                var text: String
                if topic.contains("/alarms/") {
                    text = "alarm " + ((json["class"] as? String) ?? (json["sia"] as? String).map { "SIA \($0)" } ?? (json["cid"] as? String).map { "CID \($0)" } ?? "event")
                    if json["restore"] as? Bool == true { text += " restore" }
                    if let zone = json["zone"] as? String { text += " (zone \(zone))" }
                } else if topic.hasPrefix("frigate/") {
                    text = "Frigate camera event"
                } else {
                    text = "camera " + ((json["label"] as? String) ?? "trigger")
                    if let zones = json["zones"] as? [String], !zones.isEmpty { text += " in \(zones.joined(separator: ", "))" }
                }
                return NightRecords.Input(site: site, device: device ?? "", text: text, time: row[0])
            }
        }
    }

    /// The open incidents (not cleared, closed or attributed), for the board.
    func openIncidents() async throws -> [Board.OpenIncident] {
        try await incidents(openOnly: true, limit: 1000).map {
            Board.OpenIncident(id: $0.id, site: $0.site, state: $0.state, priority: $0.priority, openedAt: $0.openedAt, updatedAt: $0.updatedAt, lastCause: $0.lastCause)
        }
    }

    /// The highest row ids, so the live feed can tell what is new.
    func watermark() async throws -> Watermark {
        try await queue.read { db in
            Watermark(
                transition: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM incident_transition") ?? 0,
                outbox: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM outbox") ?? 0,
                event: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM event") ?? 0)
        }
    }

    /// New incident transitions, warnings and operator inputs after `mark`, as feed items.
    func changes(after mark: Watermark) async throws -> (items: [FeedItem], mark: Watermark) {
        try await queue.read { db in
            var items: [FeedItem] = []
            var next = mark
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.incident, i.site, t.from_state, t.to_state, t.priority, t.cause, t.time
                    FROM incident_transition t JOIN incident i ON i.id = t.incident WHERE t.id > ? ORDER BY t.id LIMIT 500
                    """,
                arguments: [mark.transition])
            {
                next.transition = row[0]
                items.append(FeedItem(
                    kind: "incident", time: row[7], incident: row[1], site: row[2],
                    text: "\((row[3] as String?) ?? "–") → \(row[4] as String) (\(row[5] as String)): \(row[6] as String)"))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT id, kind, created_at, payload FROM outbox WHERE id > ? AND kind IN ('warning', 'guard-request', 'central', 'on-call') ORDER BY id LIMIT 500",
                arguments: [mark.outbox])
            {
                next.outbox = row[0]
                let kind: String = row[1], payload: Data = row[3]
                let json = Self.object(payload)
                let text = kind == "warning" ? "\(json.string("code")): \(json.string("message"))"
                    : kind == "guard-request" ? "guard requested from \(json.string("unit"))" : "escalated to \(kind)"
                items.append(FeedItem(kind: kind, time: row[2], incident: json["incident"] as? String, site: json["site"] as? String, text: text))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT id, received_at, payload FROM event WHERE id > ? AND topic = ? ORDER BY id LIMIT 500",
                arguments: [mark.event, OperatorInput.topic])
            {
                let payload: Data = row[2]
                if let input = OperatorInput.decode(Array(payload)) {
                    let action = Self.action(input, time: row[1])
                    items.append(FeedItem(kind: "operator", time: action.time, incident: action.incident, site: action.site, text: "\(action.author) \(action.action): \(action.detail)"))
                }
            }
            // Unit positions and statuses are many: one item says they changed, with the newest time.
            if let time = try Int64.fetchOne(
                db, sql: "SELECT MAX(received_at) FROM event WHERE id > ? AND topic LIKE 'propertywatch/v1/units/%' AND topic NOT LIKE '%/replies'",
                arguments: [mark.event])
            {
                items.append(FeedItem(kind: "units", time: time, incident: nil, site: nil, text: "unit positions or statuses changed"))
            }
            next.event = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM event") ?? mark.event
            items.sort { $0.time < $1.time }
            return (items, next)
        }
    }

    /// An operator input as an audit record.
    static func action(_ input: OperatorInput, time: Int64) -> NightRecords.OperatorAction {
        switch input {
        case .silence(let site, let device, let zone, let from, let until, let author, let reason):
            let target = device.map { "device \($0)" } ?? zone.map { "zone \($0)" } ?? "whole site"
            return .init(action: "silence", author: author, incident: nil, site: site.rawValue,
                detail: "\(target) \(LocalFormat.time(from.millisecondsSinceEpoch))–\(LocalFormat.time(until.millisecondsSinceEpoch)): \(reason)", time: time)
        case .close(let incident, let author, let reason, let outcome):
            return .init(action: "close", author: author, incident: incident.rawValue, site: nil,
                detail: (outcome.map { "\($0.rawValue): " } ?? "") + reason, time: time)
        case .acknowledge(let incident, let author):
            return .init(action: "acknowledge", author: author, incident: incident.rawValue, site: nil, detail: "acknowledged", time: time)
        case .note(let incident, let author, let text):
            return .init(action: "note", author: author, incident: incident.rawValue, site: nil, detail: text, time: time)
        case .directedCheck(let site, let notBefore, let author, let reason):
            return .init(action: "directed-check", author: author, incident: nil, site: site.rawValue,
                detail: (notBefore.map { "not before \(LocalFormat.time($0.millisecondsSinceEpoch)): " } ?? "") + reason, time: time)
        case .centralDelivery(let incident, _, let succeeded):
            return .init(action: "central-delivery", author: "webhook", incident: incident.rawValue, site: nil,
                detail: succeeded ? "delivered to the central" : "delivery to the central failed", time: time)
        }
    }

    static func object(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// The highest ids seen in the journal's tables.
struct Watermark: Sendable, Equatable {
    var transition: Int64
    var outbox: Int64
    var event: Int64
}

/// One thing that happened, as the live feed (`/api/events`) sends it.
public struct FeedItem: Sendable, Codable, Equatable {
    public var kind: String
    public var time: Int64
    public var incident: String?
    public var site: String?
    public var text: String
}

extension [String: Any] {
    func string(_ key: String) -> String { self[key] as? String ?? "" }
}
