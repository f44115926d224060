/// Reads ADM-CID message data: `#acct|QEEE GG CCC` (qualifier, event, partition, zone or
/// user), e.g. `#1234|1130 01 015`. Spaces are optional.
public enum ContactIDParser {
    public static func parse(_ data: [UInt8]) -> Result<DC09Event, DC09FrameError> {
        var d = data[...]
        if let bar = d.firstIndex(of: UInt8(ascii: "|")) { d = d[(bar + 1)...] }
        let digits = d.filter { $0 != UInt8(ascii: " ") }
        guard digits.count == 9, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return .failure(.malformed("ADM-CID data is not 'QEEE GG CCC'"))
        }
        let text = String(decoding: digits, as: UTF8.self)
        let q = text.prefix(1)
        let qualifier: String
        switch q {
        case "1": qualifier = "E"
        case "3": qualifier = "R"
        case "6": qualifier = "P"
        default: return .failure(.malformed("ADM-CID qualifier \(q) is not 1, 3 or 6"))
        }
        let event = String(text.dropFirst().prefix(3))
        let partition = String(text.dropFirst(4).prefix(2))
        let point = String(text.suffix(3))
        var e = DC09Event(protocolKind: .contactID, code: qualifier + event, partition: partition == "00" ? nil : partition)
        if point != "000" {
            if ContactIDCodeTable.isUserCode(Int(event)!) { e.user = point } else { e.zone = point }
        }
        return .success(e)
    }
}
