import Foundation

/// What makes two published actions the same action, whichever daemon of a pair published
/// it: the contract's own identifiers (request id and revision, incident and transition
/// sequence, unit, night and plan version, escalation idempotency key), never the times in
/// the payload, which differ by the few milliseconds between the two daemons' receive times.
///
/// A standby matches what the active publishes against what it would have published itself;
/// receivers deduplicate guard requests by the same request id and revision.
public enum OutputIdentity {
    /// The identity of a publish on `topic`; payloads that are not JSON objects are
    /// identified by their bytes.
    public static func of(topic: String, payload: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
            return "\(topic)|\(bytesKey(payload))"
        }
        func text(_ key: String) -> String {
            switch object[key] {
            case let s as String: s
            case let n as NSNumber: n.stringValue
            case nil, is NSNull: "-"
            case let other?: "\(other)"
            }
        }
        if topic.hasSuffix("/requests") {
            let revision = object["revision"] == nil ? "1" : text("revision")
            return "request:\(text("request")):\(revision)"
        }
        if topic.contains("/incidents/") {
            return "transition:\(text("incident")):\(object["seq"] == nil ? "0" : text("seq")):\(text("to"))"
        }
        if topic.hasSuffix("/plan") {
            return "plan:\(text("unit")):\(text("night")):\(text("version"))"
        }
        if topic.contains("/escalations/") {
            return "escalation:\(text("target")):\(text("idempotency_key")):\(text("contact"))"
        }
        if topic.hasSuffix("/warnings") {
            return "warning:\(text("site")):\(text("code")):\(text("message"))"
        }
        var stripped = object
        stripped["time"] = nil
        let bytes = (try? JSONSerialization.data(withJSONObject: stripped, options: .sortedKeys)).map(Array.init) ?? payload
        return "\(topic)|\(bytesKey(bytes))"
    }

    private static func bytesKey(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
