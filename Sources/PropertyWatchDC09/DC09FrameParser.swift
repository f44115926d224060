/// Checks a frame's length and CRC and reads its header (SIA DC-09 section 5.5).
public enum DC09FrameParser {
    /// Parses `bytes`, one frame from LF to CR as `DC09FrameReader` cut it.
    public static func parse(_ bytes: [UInt8]) -> Result<DC09Frame, DC09FrameError> {
        guard bytes.count >= 8, bytes.first == 0x0A, bytes.last == 0x0D else {
            return .failure(.malformed("frame of \(bytes.count) bytes is too short or not LF … CR"))
        }
        let quote = UInt8(ascii: "\"")
        let crcFormat: DC09Frame.CRCFormat
        let crcInFrame: UInt16
        let lengthStart: Int
        if bytes.count >= 11, bytes[9] == quote, let crc = hexValue(bytes[1..<5]) {
            crcFormat = .ascii
            crcInFrame = UInt16(crc)
            lengthStart = 5
        } else if bytes[7] == quote {
            crcFormat = .binary
            crcInFrame = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
            lengthStart = 3
        } else {
            return .failure(.malformed("no ID token after the CRC and length fields"))
        }
        guard let declared = hexValue(bytes[lengthStart..<lengthStart + 4]) else {
            return .failure(.malformed("length field is not 4 hex digits"))
        }
        let payload = bytes[(lengthStart + 4)..<(bytes.count - 1)]
        guard declared == payload.count else {
            return .failure(.badLength(declared: declared, actual: payload.count))
        }
        let computed = DC09CRC.checksum(payload)
        guard computed == crcInFrame else {
            return .failure(.badCRC(expected: computed, found: crcInFrame))
        }
        return header(Array(payload), crcFormat: crcFormat)
    }

    /// Reads `"id"seq[Rr][Ll]#acct[body` from the CRC-checked part.
    static func header(_ p: [UInt8], crcFormat: DC09Frame.CRCFormat) -> Result<DC09Frame, DC09FrameError> {
        var i = 1
        guard let close = p[1...].firstIndex(of: UInt8(ascii: "\"")), close > 1, close <= 12 else {
            return .failure(.malformed("ID token is not closed by a quote within 12 bytes"))
        }
        var tokenBytes = p[1..<close]
        let encrypted = tokenBytes.first == UInt8(ascii: "*")
        if encrypted { tokenBytes = tokenBytes.dropFirst() }
        guard !tokenBytes.isEmpty, tokenBytes.allSatisfy({ isUpper($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) else {
            return .failure(.malformed("ID token has characters other than A–Z, 0–9 and '-'"))
        }
        i = close + 1
        // The standard's sequence is decimal; some diallers write it in hex, which an account
        // may allow (`sequence_hex`), so hex digits pass here and the gateway decides.
        guard i + 4 <= p.count, p[i..<i + 4].allSatisfy({ isDigit($0) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F")) }) else {
            return .failure(.malformed("sequence number is not 4 digits"))
        }
        let sequenceText = String(decoding: p[i..<i + 4], as: UTF8.self)
        let sequence = Int(sequenceText) ?? -1
        i += 4
        func field(_ letter: Character) -> String? {
            guard i < p.count, p[i] == UInt8(ascii: letter.unicodeScalars.first!) else { return nil }
            var j = i + 1
            while j < p.count, isHex(p[j]), j - i <= 6 { j += 1 }
            guard j > i + 1 else { return nil }
            defer { i = j }
            return String(decoding: p[i..<j], as: UTF8.self)
        }
        let receiver = field("R")
        let line = field("L")
        guard i < p.count, p[i] == UInt8(ascii: "#") else {
            return .failure(.malformed("no '#' and account after the sequence, receiver and line fields"))
        }
        i += 1
        guard let open = p[i...].firstIndex(of: UInt8(ascii: "[")) else {
            return .failure(.malformed("no '[' after the account"))
        }
        let accountBytes = p[i..<open]
        guard (3...16).contains(accountBytes.count), accountBytes.allSatisfy({ isUpper($0) || isDigit($0) }) else {
            return .failure(.malformed("account is not 3–16 characters 0–9, A–Z"))
        }
        return .success(DC09Frame(
            token: String(decoding: tokenBytes, as: UTF8.self), encrypted: encrypted, sequenceText: sequenceText,
            sequence: sequence, receiver: receiver, line: line, account: String(decoding: accountBytes, as: UTF8.self),
            body: Array(p[(open + 1)...]), crcFormat: crcFormat))
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isUpper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) }

    /// The value of ASCII hex digits, nil when any is not one.
    static func hexValue(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value * 16 + Int(d)
        }
        return value
    }
}
