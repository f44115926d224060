import PropertyWatchCore

/// The alarm JSON the gateway publishes for one DC-09 event (EventContract.md, "Alarm event").
///
/// Codes the daemon maps itself go as `"sia"`/`"cid"`; other known codes as `"class"` with
/// `"code"` alongside; unknown codes as `"sia"`/`"cid"` with the raw code, which the daemon
/// refuses as `unknown-code` and keeps as a dead letter.
public enum DC09AlarmPayload {
    /// What the tables say about an event's code.
    public enum Mapping: Sendable, Hashable {
        /// The daemon's own table has it.
        case daemon
        /// Only the gateway's table has it.
        case gateway(AlarmCodeMeaning)
        case unknown
    }

    public static func mapping(_ event: DC09Event) -> Mapping {
        switch event.protocolKind {
        case .sia:
            if AlarmCodes.sia(event.code) != nil { return .daemon }
            return SIACodeTable.meaning(event.code).map(Mapping.gateway) ?? .unknown
        case .contactID:
            if event.code.first != "P", AlarmCodes.contactID(event.code) != nil { return .daemon }
            return ContactIDCodeTable.meaning(event.code).map(Mapping.gateway) ?? .unknown
        }
    }

    /// A panel's zone, partition or user number as a JSON number (the daemon resolves numbers
    /// against the site's configuration), anything else as a string.
    static func numberOrString(_ value: String) -> String {
        guard !value.isEmpty, value.utf8.count <= 9, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return quote(value) }
        return String(Int(value) ?? 0)
    }

    /// The JSON bytes.
    /// - Parameters:
    ///   - zone: the PropertyWatch zone (mapped from the panel's zone number), if any.
    ///   - part: the event's place in its frame (1 for the first or only one); later parts share
    ///     the frame's `seq`, and the daemon admits each once.
    public static func encode(
        site: SiteID, device: DeviceID, event: DC09Event, zone: String?, sequence: Int, id: String, time: Int64,
        account: String, part: Int = 1
    ) -> [UInt8] {
        var fields: [(String, String)] = [
            ("v", "1"), ("site", quote(site.rawValue)), ("device", quote(device.rawValue)),
        ]
        if let zone { fields.append(("zone", numberOrString(zone))) }
        switch mapping(event) {
        case .daemon, .unknown:
            fields.append((event.protocolKind == .sia ? "sia" : "cid", quote(event.code)))
        case .gateway(let meaning):
            fields.append(("class", quote(meaning.eventClass.rawValue)))
            fields.append(("restore", meaning.isRestore ? "true" : "false"))
            if meaning.eventClass == .trouble, let trouble = meaning.trouble { fields.append(("trouble", quote(trouble.rawValue))) }
        }
        fields.append(("code", quote(event.normalizedCode)))
        if let partition = event.partition { fields.append(("partition", numberOrString(partition))) }
        if let user = event.user { fields.append(("user", numberOrString(user))) }
        fields.append(("account", quote(account)))
        fields.append(("seq", String(sequence)))
        if part > 1 { fields.append(("part", String(part))) }
        fields.append(("id", quote(id)))
        fields.append(("time", String(time)))
        return Array(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    /// A link test (`NULL`) as an alarm event of class `test`, so it is journaled and
    /// acknowledged end to end like any event.
    public static func linkTest(site: SiteID, device: DeviceID, sequence: Int, id: String, time: Int64, account: String) -> [UInt8] {
        Array(("{\"v\":1,\"site\":\(quote(site.rawValue)),\"device\":\(quote(device.rawValue)),\"class\":\"test\","
            + "\"restore\":false,\"code\":\"DC09:NULL\",\"account\":\(quote(account)),\"seq\":\(sequence),"
            + "\"id\":\(quote(id)),\"time\":\(time)}").utf8)
    }

    /// A JSON string literal; DC-09 fields are printable ASCII, escaped here all the same.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
