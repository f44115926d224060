/// Short, printable renderings of payload bytes for rejection details.
enum Excerpt {
    /// The longest excerpt of a value, in bytes, before it is cut with `…`.
    static let maxBytes = 40

    /// Printable ASCII kept, other bytes as `\xNN`; cut after `limit` bytes.
    static func of(_ bytes: UnsafeRawBufferPointer, limit: Int = maxBytes) -> String {
        var text = ""
        var n = 0
        var i = 0
        while i < bytes.count {
            if n >= limit {
                text += "…"
                break
            }
            let b = bytes[i]
            if b >= 0x20, b < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(b))
            } else if b >= 0x80, let (scalar, length) = decodeScalar(bytes, at: i), scalar.value >= 0xA0 {
                text.unicodeScalars.append(scalar)
                i += length
                n += length
                continue
            } else {
                text += "\\x" + hexDigits(b)
            }
            i += 1
            n += 1
        }
        return text
    }

    /// `s` cut to `limit` characters.
    static func of(_ s: String, limit: Int = maxBytes) -> String {
        var copy = s
        return copy.withUTF8 { of(UnsafeRawBufferPointer($0), limit: limit) }
    }

    static func hex(_ b: UInt8) -> String { "0x" + hexDigits(b) }

    static func hex16(_ v: UInt32) -> String {
        hexDigits(UInt8(truncatingIfNeeded: v >> 8)) + hexDigits(UInt8(truncatingIfNeeded: v))
    }

    /// A byte as `'x'` when printable, else as `0xNN`.
    static func character(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : hex(b)
    }

    private static func hexDigits(_ b: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    private static func decodeScalar(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (Unicode.Scalar, Int)? {
        var iterator = bytes[i...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): return (scalar, UTF8.width(scalar))
        default: return nil
        }
    }
}
