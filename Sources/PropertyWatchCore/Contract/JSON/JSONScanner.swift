/// A strict RFC 8259 scanner over raw bytes: validates the whole document in one pass and
/// writes a flat token tape, without Foundation and without heap allocation.
///
/// Refuses trailing data, a byte order mark, leading zeros, `NaN`/`Infinity`, bad escapes,
/// lone surrogates, raw control characters and invalid UTF-8 in strings, nesting deeper
/// than `maxDepth`, and objects that name the same key twice (compared after unescaping).
struct JSONScanner {
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private let tape: UnsafeMutablePointer<JSONToken>
    private let capacity: Int
    private let maxDepth: Int
    /// The keys of the objects being scanned, innermost last, for duplicate detection.
    private let keys: UnsafeMutablePointer<KeySlot>
    private let keyCapacity: Int
    private var keyCount = 0
    private var position = 0
    private var tokenCount = 0

    /// The most members one object may have.
    static let maxMembers = 256

    /// A key's hash and tape index.
    struct KeySlot {
        var hash: UInt32
        var token: UInt32
    }

    /// Scans `buffer` into `tape` (which needs at least `buffer.count + 1` slots; `keys` needs
    /// `buffer.count / 4 + 1`) and returns the number of tokens written; the root is token 0.
    static func scan(
        _ buffer: UnsafeRawBufferPointer, maxDepth: Int, into tape: UnsafeMutableBufferPointer<JSONToken>,
        keys: UnsafeMutableBufferPointer<KeySlot>
    ) throws(JSONError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw JSONError(.malformed, at: 0, "empty payload")
        }
        guard let tapeBase = tape.baseAddress, tape.count > buffer.count, let keyBase = keys.baseAddress else {
            throw JSONError(.malformed, at: 0, "token tape too small")
        }
        var scanner = JSONScanner(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: buffer.count,
            tape: tapeBase, capacity: tape.count, maxDepth: maxDepth, keys: keyBase, keyCapacity: keys.count)
        try scanner.document()
        return scanner.tokenCount
    }

    private init(
        bytes: UnsafePointer<UInt8>, count: Int, tape: UnsafeMutablePointer<JSONToken>, capacity: Int,
        maxDepth: Int, keys: UnsafeMutablePointer<KeySlot>, keyCapacity: Int
    ) {
        self.bytes = bytes
        self.count = count
        self.tape = tape
        self.capacity = capacity
        self.maxDepth = maxDepth
        self.keys = keys
        self.keyCapacity = keyCapacity
    }

    // MARK: Structure

    private mutating func document() throws(JSONError) {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONError(.malformed, at: 0, "byte order mark")
        }
        skipWhitespace()
        try value(depth: 0)
        skipWhitespace()
        guard position == count else { throw unexpected("trailing data") }
    }

    private mutating func value(depth: Int) throws(JSONError) {
        guard position < count else { throw JSONError(.malformed, at: position, "unexpected end of payload") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): try string(isKey: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        default: throw unexpected("expected a value")
        }
    }

    private mutating func object(depth: Int) throws(JSONError) {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: position, "nesting deeper than \(maxDepth)") }
        let index = try push(JSONToken(kind: .object, start: UInt32(truncatingIfNeeded: position)))
        position += 1
        skipWhitespace()
        var members: UInt32 = 0
        let firstKey = keyCount
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard peek == UInt8(ascii: "\"") else { throw unexpected("expected an object key") }
                let keyOffset = position
                let keyIndex = tokenCount
                try string(isKey: true)
                guard members < Self.maxMembers else {
                    throw JSONError(.malformed, at: keyOffset, "more than \(Self.maxMembers) members in an object")
                }
                try checkDuplicate(keyIndex: keyIndex, since: firstKey, at: keyOffset)
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw unexpected("expected ':'") }
                position += 1
                skipWhitespace()
                try value(depth: depth)
                members += 1
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if peek == UInt8(ascii: "}") {
                    position += 1
                    break
                } else {
                    throw unexpected("expected ',' or '}'")
                }
            }
        }
        keyCount = firstKey
        tape[index].link = UInt32(truncatingIfNeeded: tokenCount)
        tape[index].aux = members
    }

    private mutating func array(depth: Int) throws(JSONError) {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: position, "nesting deeper than \(maxDepth)") }
        let index = try push(JSONToken(kind: .array, start: UInt32(truncatingIfNeeded: position)))
        position += 1
        skipWhitespace()
        var elements: UInt32 = 0
        if peek == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                try value(depth: depth)
                elements += 1
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if peek == UInt8(ascii: "]") {
                    position += 1
                    break
                } else {
                    throw unexpected("expected ',' or ']'")
                }
            }
        }
        tape[index].link = UInt32(truncatingIfNeeded: tokenCount)
        tape[index].aux = elements
    }

    /// Compares the key just scanned with the earlier keys of the same object (hashes first),
    /// then records it.
    private mutating func checkDuplicate(keyIndex: Int, since firstKey: Int, at offset: Int) throws(JSONError) {
        let key = tape[keyIndex]
        for slot in firstKey..<keyCount where keys[slot].hash == key.aux {
            if JSONDocument.keysEqual(tape[Int(keys[slot].token)], key, bytes: bytes) {
                let raw = UnsafeRawBufferPointer(start: bytes + Int(key.start), count: Int(key.link) - Int(key.start))
                throw JSONError(.duplicateKey, at: offset, "duplicate key \"\(Excerpt.of(raw))\"")
            }
        }
        guard keyCount < keyCapacity else { throw JSONError(.malformed, at: offset, "too many keys") }
        keys[keyCount] = KeySlot(hash: key.aux, token: UInt32(truncatingIfNeeded: keyIndex))
        keyCount += 1
    }

    // MARK: Scalars

    private mutating func string(isKey: Bool) throws(JSONError) {
        let quote = position
        position += 1
        let start = position
        var flags: UInt8 = 0
        while true {
            // Fast paths for plain ASCII content: eight bytes at a time, then byte by byte.
            while position + 8 <= count {
                let w = UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
                // A high bit per byte that is a quote, a backslash, below 0x20 or at least 0x80
                // (false positives only above a true one: the byte loop decides).
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (w &- ones &* 0x20) | w
                if special & highs != 0 { break }
                position += 8
            }
            while position < count {
                let b = bytes[position]
                guard b >= 0x20, b < 0x80, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") else { break }
                position += 1
            }
            guard position < count else { throw JSONError(.malformed, at: quote, "unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                flags |= JSONToken.hasEscapes
                try escape()
            } else if b < 0x20 {
                throw JSONError(.malformed, at: position, "control character \(Excerpt.hex(b)) in string")
            } else {
                try utf8Sequence()
            }
        }
        var token = JSONToken(
            kind: .string, flags: flags, start: UInt32(truncatingIfNeeded: start),
            link: UInt32(truncatingIfNeeded: position))
        if isKey {
            if flags == 0 {
                token.aux = JSONDocument.keyHash(bytes + start, position - start)
            } else {
                let decoded = JSONDocument.decodedBytes(token, in: bytes)
                token.aux = decoded.withUnsafeBufferPointer { JSONDocument.keyHash($0.baseAddress ?? bytes, $0.count) }
            }
        }
        try push(token)
        position += 1
    }

    private mutating func utf8Sequence() throws(JSONError) {
        switch UTF8Sequence.check(bytes, at: position, count: count) {
        case .valid(let length):
            position += length
        case .invalidLead:
            throw JSONError(.invalidUTF8, at: position, "invalid UTF-8 byte \(Excerpt.hex(bytes[position]))")
        case .truncated:
            throw JSONError(.invalidUTF8, at: position, "truncated UTF-8 sequence")
        case .invalidSecond:
            throw JSONError(.invalidUTF8, at: position, "invalid UTF-8 sequence \(Excerpt.hex(bytes[position])) \(Excerpt.hex(bytes[position + 1]))")
        case .invalidContinuation(let offset):
            throw JSONError(.invalidUTF8, at: position + offset, "invalid UTF-8 continuation byte")
        }
    }

    private mutating func escape() throws(JSONError) {
        let backslash = position
        position += 1
        guard position < count else { throw JSONError(.malformed, at: backslash, "unterminated escape") }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            let scalar = try hex4(escapeAt: backslash)
            if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw JSONError(.malformed, at: backslash, "lone low surrogate \\u\(Excerpt.hex16(scalar))")
            }
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard position + 1 < count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONError(.malformed, at: backslash, "lone high surrogate \\u\(Excerpt.hex16(scalar))")
                }
                let second = position
                position += 2
                let low = try hex4(escapeAt: second)
                guard low >= 0xDC00, low <= 0xDFFF else {
                    throw JSONError(.malformed, at: backslash, "lone high surrogate \\u\(Excerpt.hex16(scalar))")
                }
            }
        default:
            let b = bytes[position]
            let shown = b >= 0x20 && b < 0x7F ? "'\\\(Character(Unicode.Scalar(b)))'" : Excerpt.hex(b)
            throw JSONError(.malformed, at: backslash, "invalid escape \(shown)")
        }
    }

    /// Reads four hex digits at `position`.
    private mutating func hex4(escapeAt backslash: Int) throws(JSONError) -> UInt32 {
        guard position + 4 <= count else { throw JSONError(.malformed, at: backslash, "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw JSONError(.malformed, at: backslash, "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func number() throws(JSONError) {
        let start = position
        var flags: UInt8 = 0
        if bytes[position] == UInt8(ascii: "-") {
            flags |= JSONToken.isNegative
            position += 1
        }
        guard isDigit(peek) else { throw unexpected("invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(peek) { throw JSONError(.malformed, at: start, "number with a leading zero") }
        } else {
            while isDigit(peek) { position += 1 }
        }
        if peek == UInt8(ascii: ".") {
            flags |= JSONToken.isFractional
            position += 1
            guard isDigit(peek) else { throw unexpected("expected a digit after '.'") }
            while isDigit(peek) { position += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            flags |= JSONToken.isFractional
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek) else { throw unexpected("expected a digit in the exponent") }
            while isDigit(peek) { position += 1 }
        }
        try push(JSONToken(
            kind: .number, flags: flags, start: UInt32(truncatingIfNeeded: start),
            link: UInt32(truncatingIfNeeded: position)))
    }

    private mutating func literal(_ text: StaticString, _ kind: JSONToken.Kind) throws(JSONError) {
        let length = text.utf8CodeUnitCount
        guard position + length <= count else { throw unexpected("invalid literal") }
        for i in 0..<length where bytes[position + i] != text.utf8Start[i] {
            throw unexpected("invalid literal")
        }
        try push(JSONToken(kind: kind, start: UInt32(truncatingIfNeeded: position)))
        position += length
    }

    // MARK: Helpers

    private var peek: UInt8 { position < count ? bytes[position] : 0 }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @discardableResult
    private mutating func push(_ token: JSONToken) throws(JSONError) -> Int {
        guard tokenCount < capacity else { throw JSONError(.malformed, at: position, "too many values") }
        tape[tokenCount] = token
        tokenCount += 1
        return tokenCount - 1
    }

    private func unexpected(_ what: String) -> JSONError {
        guard position < count else { return JSONError(.malformed, at: position, "\(what), found end of payload") }
        let b = bytes[position]
        if b >= 0x80 { return JSONError(.malformed, at: position, "\(what), found byte \(Excerpt.hex(b))") }
        return JSONError(.malformed, at: position, "\(what), found \(Excerpt.character(b))")
    }
}
