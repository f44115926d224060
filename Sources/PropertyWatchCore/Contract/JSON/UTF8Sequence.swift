/// Validation of one multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), shared by the strict scanner and the alarm fast path.
enum UTF8Sequence {
    enum Check {
        case valid(length: Int)
        /// The lead byte cannot start a sequence.
        case invalidLead
        /// The text ends inside the sequence.
        case truncated
        /// The second byte is out of range for this lead byte.
        case invalidSecond
        /// A later continuation byte, at this offset from the lead, is not 10xxxxxx.
        case invalidContinuation(offset: Int)
    }

    static func check(_ bytes: UnsafePointer<UInt8>, at position: Int, count: Int) -> Check {
        var trailing = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch bytes[position] {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: trailing = 2
        case 0xED: trailing = 2; high = 0x9F
        case 0xF0: trailing = 3; low = 0x90
        case 0xF1...0xF3: trailing = 3
        case 0xF4: trailing = 3; high = 0x8F
        default: return .invalidLead
        }
        guard position + trailing < count else { return .truncated }
        let second = bytes[position + 1]
        guard second >= low, second <= high else { return .invalidSecond }
        var offset = 2
        while offset <= trailing {
            guard bytes[position + offset] & 0xC0 == 0x80 else { return .invalidContinuation(offset: offset) }
            offset += 1
        }
        return .valid(length: trailing + 1)
    }
}
