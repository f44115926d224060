import Foundation
import PropertyWatchCore

/// A message the daemon published, read back from its topic and JSON payload.
public enum DaemonOutput: Sendable, Hashable {
    case guardRequest(GuardRequest)
    case incident(IncidentTransition)
    case escalation(incident: IncidentID, target: String, time: Timestamp)
    case warning(site: SiteID?, code: String, message: String, time: Timestamp)
    case acknowledgement(site: SiteID, device: DeviceID, sequences: [UInt64])
    case clockAcknowledgement(Timestamp)
    case status(online: Bool)

    /// The topic filters that cover everything the daemon publishes.
    public static let subscriptions: [String] = [
        "\(Topic.root)/units/+/requests",
        "\(Topic.root)/incidents/+",
        "\(Topic.root)/escalations/+",
        Topic.warnings,
        "\(Topic.root)/sites/+/acks/+",
        Topic.simulatedClockAcknowledgement,
        Topic.daemonStatus,
    ]

    /// Reads one message; nil when the topic is not the daemon's or the payload does not parse.
    public init?(topic: String, payload: [UInt8]) {
        guard topic.hasPrefix(Topic.root + "/"),
              let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        else { return nil }
        let f = Fields(object)
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if topic == Topic.simulatedClockAcknowledgement {
            guard let t = f.time("time") else { return nil }
            self = .clockAcknowledgement(t)
        } else if topic == Topic.daemonStatus {
            self = .status(online: f.string("state") == "online")
        } else if topic == Topic.warnings {
            guard let code = f.string("code") else { return nil }
            self = .warning(site: f.string("site").map(SiteID.init), code: code, message: f.string("message") ?? "", time: f.time("time") ?? Timestamp(millisecondsSinceEpoch: 0))
        } else if parts.count == 4, parts[2] == "incidents" {
            guard let id = f.string("incident"), let site = f.string("site"), let to = f.string("to").flatMap(IncidentState.init(rawValue:)),
                  let rank = f.int("rank").flatMap({ IncidentPriority(rawValue: Int($0)) }), let time = f.time("time")
            else { return nil }
            self = .incident(IncidentTransition(
                incident: IncidentID(id), site: SiteID(site), from: f.string("from").flatMap(IncidentState.init(rawValue:)), to: to,
                priority: rank, cause: f.string("cause") ?? "", time: time))
        } else if parts.count == 4, parts[2] == "escalations" {
            guard let id = f.string("incident") else { return nil }
            self = .escalation(incident: IncidentID(id), target: f.string("target") ?? parts[3], time: f.time("time") ?? Timestamp(millisecondsSinceEpoch: 0))
        } else if parts.count == 5, parts[2] == "units", parts[4] == "requests" {
            guard let request = f.string("request"), let incident = f.string("incident"), let unit = f.string("unit"),
                  let site = f.string("site"), let rank = f.int("rank").flatMap({ IncidentPriority(rawValue: Int($0)) }),
                  let time = f.time("time")
            else { return nil }
            self = .guardRequest(GuardRequest(
                requestID: request, incident: IncidentID(incident), unit: UnitID(unit), site: SiteID(site),
                siteName: f.string("siteName") ?? "", address: f.string("address") ?? "",
                zones: f.strings("zones").map(ZoneID.init), priority: rank,
                verification: f.string("verification").flatMap(Verification.init(rawValue:)) ?? .none,
                triggers: f.strings("triggers"), snapshot: f.string("snapshot"), eta: f.time("eta"), issuedAt: time,
                attempt: Int(f.int("attempt") ?? 1), revision: Int(f.int("revision") ?? 1), changes: f.strings("changes"),
                answerBy: f.time("answerBy")))
        } else if parts.count == 6, parts[2] == "sites", parts[4] == "acks" {
            var sequences = f.ints("seqs").map { UInt64($0) }
            if sequences.isEmpty, let s = f.int("seq") { sequences = [UInt64(s)] }
            self = .acknowledgement(site: SiteID(parts[3]), device: DeviceID(parts[5]), sequences: sequences)
        } else {
            return nil
        }
    }

    private struct Fields {
        let object: [String: Any]
        init(_ object: [String: Any]) { self.object = object }
        func string(_ key: String) -> String? { object[key] as? String }
        func int(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
        func time(_ key: String) -> Timestamp? { int(key).map { Timestamp(millisecondsSinceEpoch: $0) } }
        func strings(_ key: String) -> [String] { object[key] as? [String] ?? [] }
        func ints(_ key: String) -> [Int64] { (object[key] as? [NSNumber])?.map(\.int64Value) ?? [] }
    }
}
