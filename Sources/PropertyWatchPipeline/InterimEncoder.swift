import PropertyWatchCore

/// Outbound JSON until the contract's `MessageEncoder` lands; same shapes.
enum InterimEncoder {
    static func guardRequest(_ r: GuardRequest) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("request", r.requestID)
        w.string("incident", r.incident.rawValue)
        w.string("unit", r.unit.rawValue)
        w.string("site", r.site.rawValue)
        w.string("site_name", r.siteName)
        w.string("address", r.address)
        w.strings("zones", r.zones.map(\.rawValue))
        w.string("priority", r.priority.name)
        w.string("verification", r.verification.rawValue)
        w.strings("triggers", r.triggers)
        if let snapshot = r.snapshot { w.string("snapshot", snapshot) }
        if let eta = r.eta { w.int("eta", eta.millisecondsSinceEpoch) }
        w.int("attempt", Int64(r.attempt))
        w.int("time", r.issuedAt.millisecondsSinceEpoch)
        return w.finish()
    }

    static func incidentUpdate(_ t: IncidentTransition) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("incident", t.incident.rawValue)
        w.string("site", t.site.rawValue)
        if let from = t.from { w.string("from", from.rawValue) }
        w.string("state", t.to.rawValue)
        w.string("priority", t.priority.name)
        w.string("cause", t.cause)
        w.int("time", t.time.millisecondsSinceEpoch)
        return w.finish()
    }

    static func central(incident: IncidentID, idempotencyKey: String, summary: String, time: Timestamp) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("incident", incident.rawValue)
        w.string("idempotency_key", idempotencyKey)
        w.string("summary", summary)
        w.int("time", time.millisecondsSinceEpoch)
        return w.finish()
    }

    static func onCall(incident: IncidentID, contact: String, summary: String, time: Timestamp) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("incident", incident.rawValue)
        w.string("contact", contact)
        w.string("summary", summary)
        w.int("time", time.millisecondsSinceEpoch)
        return w.finish()
    }

    static func warning(site: SiteID?, code: String, message: String, time: Timestamp) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        if let site { w.string("site", site.rawValue) }
        w.string("code", code)
        w.string("message", message)
        w.int("time", time.millisecondsSinceEpoch)
        return w.finish()
    }

    static func acknowledgement(site: SiteID, device: DeviceID, sequences: [UInt64], time: Timestamp) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("site", site.rawValue)
        w.string("device", device.rawValue)
        w.int("seq", Int64(sequences.max() ?? 0))
        w.raw("seqs", "[" + sequences.map(String.init).joined(separator: ",") + "]")
        w.int("time", time.millisecondsSinceEpoch)
        return w.finish()
    }

    static func status(_ state: String) -> [UInt8] {
        var w = JSONObjectWriter()
        w.int("v", 1)
        w.string("state", state)
        return w.finish()
    }
}

/// Appends one JSON object's members to a byte buffer, escaping strings.
struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    mutating func string(_ key: String, _ value: String) {
        member(key)
        appendEscaped(value)
    }

    mutating func int(_ key: String, _ value: Int64) {
        member(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func strings(_ key: String, _ values: [String]) {
        member(key)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            appendEscaped(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func raw(_ key: String, _ json: String) {
        member(key)
        bytes.append(contentsOf: json.utf8)
    }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func member(_ key: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        appendEscaped(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendEscaped(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
