/// Reads SIA-DCS message data (SIA DC-03 blocks as DC-09 carries them), e.g.
/// `#1234|Nri1/BA01/BA02`, `1234|Nid3OP3`, `|NBA1^Hall^`.
///
/// After `N`, `/` separates items; an item is lower-case modifiers with their values
/// (`ri` area, `id` user, `pi`, `ti` …) followed by an optional two-letter code and its
/// address. Modifiers hold for the items after them in the same message. `^text^` is dropped.
public enum SIADCSParser {
    public static func parse(_ data: [UInt8]) -> Result<[DC09Event], DC09FrameError> {
        var d = data[...]
        if let bar = d.firstIndex(of: UInt8(ascii: "|")) { d = d[(bar + 1)...] }
        guard d.first == UInt8(ascii: "N") else {
            return .failure(.malformed("SIA-DCS data does not start with N (only new-event blocks are read)"))
        }
        d = d.dropFirst()
        // Drop ^text^ annotations and anything after a second '|' (free text such as |Atext).
        var clean: [UInt8] = []
        var inText = false
        for b in d {
            if b == UInt8(ascii: "^") { inText.toggle(); continue }
            if inText { continue }
            if b == UInt8(ascii: "|") { break }
            clean.append(b)
        }
        var events: [DC09Event] = []
        var partition: String?
        var user: String?
        for item in clean.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            var i = item.startIndex
            while i + 1 < item.endIndex, isLower(item[i]), isLower(item[i + 1]) {
                let name = String(decoding: item[i..<i + 2], as: UTF8.self)
                var j = i + 2
                while j < item.endIndex, !isUpper(item[j]), !(isLower(item[j]) && j + 1 < item.endIndex && isLower(item[j + 1])) { j += 1 }
                let value = String(decoding: item[(i + 2)..<j], as: UTF8.self)
                switch name {
                case "ri": partition = value.isEmpty ? nil : value
                case "id": user = value.isEmpty ? nil : value
                default: break
                }
                i = j
            }
            guard i < item.endIndex else { continue }
            guard i + 1 < item.endIndex, isUpper(item[i]), isUpper(item[i + 1]) else {
                return .failure(.malformed("SIA-DCS item '\(String(decoding: item, as: UTF8.self))' has no two-letter code"))
            }
            let code = String(decoding: item[i..<i + 2], as: UTF8.self)
            let address = String(decoding: item[(i + 2)...], as: UTF8.self)
            var event = DC09Event(protocolKind: .sia, code: code, partition: partition, user: user)
            if !address.isEmpty {
                switch SIACodeTable.addressKind(code) {
                case .user: event.user = address
                case .area: event.partition = address
                case .zone: event.zone = address
                }
            }
            events.append(event)
        }
        guard !events.isEmpty else { return .failure(.malformed("SIA-DCS data has no event code")) }
        return .success(events)
    }

    static func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
    static func isUpper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
}
