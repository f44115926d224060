import PropertyWatchCore

/// The daemon's end-to-end acknowledgement (`propertywatch/v1/sites/{site}/acks/{device}`,
/// `{"v":1,…,"seqs":[42,43],…}`), read just far enough to release waiting frames.
public struct DC09Acknowledgement: Sendable, Hashable {
    public var site: SiteID
    public var device: DeviceID
    public var sequences: [UInt64]

    /// Nil when the topic is not an acknowledgement topic or the payload has no `seqs` list.
    public static func parse(topic: String, payload: [UInt8]) -> DC09Acknowledgement? {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "propertywatch", parts[1] == "v1", parts[2] == "sites", parts[4] == "acks" else { return nil }
        let key = Array("\"seqs\"".utf8)
        guard let start = payload.indices.first(where: { i in i + key.count <= payload.count && Array(payload[i..<i + key.count]) == key }) else { return nil }
        var i = start + key.count
        while i < payload.count, payload[i] == UInt8(ascii: " ") || payload[i] == UInt8(ascii: ":") { i += 1 }
        guard i < payload.count, payload[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var sequences: [UInt64] = []
        var current: UInt64?
        while i < payload.count, payload[i] != UInt8(ascii: "]") {
            let b = payload[i]
            if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                let (m, o1) = (current ?? 0).multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                current = s
            } else if b == UInt8(ascii: ",") || b == UInt8(ascii: " ") {
                if let c = current { sequences.append(c) }
                current = nil
            } else {
                return nil
            }
            i += 1
        }
        guard i < payload.count else { return nil }
        if let c = current { sequences.append(c) }
        return DC09Acknowledgement(site: SiteID(String(parts[3])), device: DeviceID(String(parts[5])), sequences: sequences)
    }
}
