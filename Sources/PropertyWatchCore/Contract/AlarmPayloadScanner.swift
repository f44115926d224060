/// One optimistic pass over an alarm payload that reads the members it knows straight from the
/// key bytes into `Fields`, with no token tape.
///
/// It succeeds only on a flat JSON object that `JSONScanner` accepts, whose strings have no
/// escapes, whose keys are unique and whose known members have the types the contract asks
/// for; then `Fields` holds exactly what `FieldReader` would read. Anything else (escapes,
/// nesting, a duplicate key, a wrong type, any syntax error) gives nil, and the caller runs
/// the general path, which decides with its precise rejection.
struct AlarmPayloadScanner {
    /// A byte range of the payload: a string's content without quotes.
    struct Span {
        var start: Int
        var end: Int
        var count: Int { end - start }
    }

    /// The known members found, `null` counting as absent (as for `FieldReader.optional`).
    struct Fields {
        var hasVersion = false
        var zone: Span?
        var className: Span?
        var sia: Span?
        var cid: Span?
        var restore: Bool?
        var trouble: Span?
        var sequence: UInt64?
        var id: Span?
        var epochMilliseconds: Int64?
        /// `time` as an RFC 3339 string, when not given as a number.
        var rfc3339: Span?
    }

    private enum Key: UInt16 {
        case v = 1, site = 2, device = 4, zone = 8, `class` = 16, sia = 32, cid = 64, restore = 128,
            trouble = 256, seq = 512, id = 1024, time = 2048
    }

    /// The most members the fast path takes on; more go to the general path.
    private static let maxMembers = 24

    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private var position = 0

    private init(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// Reads the members of `payload` into `fields`, with `site` and `device` (when given as
    /// strings) checked against the topic's bytes; false when the general path must decide.
    @inline(__always)
    static func scan(
        _ payload: UnsafeRawBufferPointer, site: UnsafeRawBufferPointer, device: UnsafeRawBufferPointer,
        into fields: inout Fields
    ) -> Bool {
        guard let base = payload.baseAddress else { return false }
        var scanner = AlarmPayloadScanner(base.assumingMemoryBound(to: UInt8.self), payload.count)
        return scanner.object(site: site, device: device, into: &fields)
    }

    @inline(__always)
    private mutating func object(site: UnsafeRawBufferPointer, device: UnsafeRawBufferPointer, into fields: inout Fields) -> Bool {
        skipWhitespace()
        guard peek == UInt8(ascii: "{") else { return false }
        position &+= 1
        skipWhitespace()
        var seen: UInt16 = 0
        // Keys the fast path does not know, for the duplicate check among them.
        var others: (Span, Span, Span, Span, Span, Span, Span, Span) = (
            Span(start: 0, end: 0), Span(start: 0, end: 0), Span(start: 0, end: 0), Span(start: 0, end: 0),
            Span(start: 0, end: 0), Span(start: 0, end: 0), Span(start: 0, end: 0), Span(start: 0, end: 0)
        )
        var otherCount = 0
        var members = 0
        while true {
            guard peek == UInt8(ascii: "\""), members < Self.maxMembers, let (known, keySpan) = key() else { return false }
            members &+= 1
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { return false }
            position &+= 1
            skipWhitespace()
            if let key = known {
                guard seen & key.rawValue == 0 else { return false }
                seen |= key.rawValue
                guard read(key, into: &fields, site: site, device: device) else { return false }
            } else {
                // Zones by number, partitions and users need the site's model, and a frame's later
                // parts are rare: the general path.
                guard !spells(keySpan, "partition"), !spells(keySpan, "user"), !spells(keySpan, "part") else { return false }
                guard otherCount < 8 else { return false }
                for k in 0..<otherCount where equal(keySpan, Self.other(k, of: others)) { return false }
                Self.setOther(otherCount, keySpan, in: &others)
                otherCount &+= 1
                guard skipValue() else { return false }
            }
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                position &+= 1
                skipWhitespace()
            } else if peek == UInt8(ascii: "}") {
                position &+= 1
                break
            } else {
                return false
            }
        }
        skipWhitespace()
        return position == count
    }

    /// Reads the value of a known member; false when it is not of the type the general path
    /// accepts (or, for `site` and `device`, does not match the topic).
    @inline(__always)
    private mutating func read(
        _ key: Key, into fields: inout Fields, site: UnsafeRawBufferPointer, device: UnsafeRawBufferPointer
    ) -> Bool {
        if literal("null") {
            // `v`, `seq`, `id` and `time` may not be null; the others then count as absent.
            switch key {
            case .v, .seq, .id, .time: return false
            default: return true
            }
        }
        switch key {
        case .v:
            guard number() == 1 else { return false }
            fields.hasVersion = true
        case .seq:
            let value = number()
            guard value >= 0 else { return false }
            fields.sequence = UInt64(value)
        case .time:
            if peek == UInt8(ascii: "\"") {
                guard let span = string() else { return false }
                fields.rfc3339 = span
            } else {
                let value = number()
                guard value >= 0 else { return false }
                fields.epochMilliseconds = value
            }
        case .restore:
            if literal("true") {
                fields.restore = true
            } else if literal("false") {
                fields.restore = false
            } else {
                return false
            }
        case .site, .device:
            guard peek == UInt8(ascii: "\""), let span = string() else { return false }
            let expected = key == .site ? site : device
            guard span.count == expected.count,
                let start = expected.baseAddress, JSONDocument.equal(bytes + span.start, start.assumingMemoryBound(to: UInt8.self), span.count)
            else { return false }
        case .zone, .class, .sia, .cid, .trouble, .id:
            guard peek == UInt8(ascii: "\""), let span = string() else { return false }
            switch key {
            case .zone: fields.zone = span
            case .class: fields.className = span
            case .sia: fields.sia = span
            case .cid: fields.cid = span
            case .trouble: fields.trouble = span
            default: fields.id = span
            }
        }
        return true
    }

    /// A key at `position` (its opening quote), as `string()`, and the known key it spells.
    @inline(__always)
    private mutating func key() -> (Key?, Span)? {
        let start = position &+ 1
        // Every known key is plain ASCII of at most seven bytes: one word holds it and its quote.
        if start &+ 8 <= count {
            let w = UnsafeRawPointer(bytes + start).loadUnaligned(as: UInt64.self)
            let special = Self.specialBytes(w)
            let length = special.trailingZeroBitCount &>> 3
            if special != 0, bytes[start &+ length] == UInt8(ascii: "\"") {
                position = start &+ length &+ 1
                return (Self.known(w & ~(UInt64.max << (length &* 8))), Span(start: start, end: start &+ length))
            }
        }
        guard let span = string() else { return nil }
        guard span.count < 8 else { return (nil, span) }
        var word: UInt64 = 0
        for i in 0..<span.count { word |= UInt64(bytes[span.start &+ i]) << (8 &* i) }
        return (Self.known(word), span)
    }

    /// The known key whose bytes, little-endian and zero-padded, make `word`.
    @inline(__always)
    private static func known(_ word: UInt64) -> Key? {
        switch word {
        case Self.word("v"): .v
        case Self.word("id"): .id
        case Self.word("seq"): .seq
        case Self.word("sia"): .sia
        case Self.word("cid"): .cid
        case Self.word("time"): .time
        case Self.word("site"): .site
        case Self.word("zone"): .zone
        case Self.word("class"): .class
        case Self.word("device"): .device
        case Self.word("restore"): .restore
        case Self.word("trouble"): .trouble
        default: nil
        }
    }

    @inline(__always)
    private static func word(_ text: StaticString) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<text.utf8CodeUnitCount { word |= UInt64(text.utf8Start[i]) << (8 * i) }
        return word
    }

    /// A high bit in each byte of `w` that is a quote, a backslash, below 0x20 or at least
    /// 0x80. The lowest one is always true; false positives only sit above it.
    @inline(__always)
    private static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (w &- ones &* 0x20) | w)
            & 0x8080_8080_8080_8080
    }

    private func spells(_ span: Span, _ text: StaticString) -> Bool {
        span.count == text.utf8CodeUnitCount && JSONDocument.equal(bytes + span.start, text.utf8Start, span.count)
    }

    private func equal(_ a: Span, _ b: Span) -> Bool {
        a.count == b.count && JSONDocument.equal(bytes + a.start, bytes + b.start, a.count)
    }

    private static func other(_ k: Int, of others: (Span, Span, Span, Span, Span, Span, Span, Span)) -> Span {
        switch k {
        case 0: others.0
        case 1: others.1
        case 2: others.2
        case 3: others.3
        case 4: others.4
        case 5: others.5
        case 6: others.6
        default: others.7
        }
    }

    private static func setOther(_ k: Int, _ span: Span, in others: inout (Span, Span, Span, Span, Span, Span, Span, Span)) {
        switch k {
        case 0: others.0 = span
        case 1: others.1 = span
        case 2: others.2 = span
        case 3: others.3 = span
        case 4: others.4 = span
        case 5: others.5 = span
        case 6: others.6 = span
        default: others.7 = span
        }
    }

    // MARK: Values

    /// Skips a string, number or literal; false for containers and anything invalid.
    private mutating func skipValue() -> Bool {
        switch peek {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number() != Self.invalid
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return false
        }
    }

    /// A string at `position` (its opening quote) without escapes, raw control characters or
    /// invalid UTF-8; returns its content and moves past the closing quote.
    private mutating func string() -> Span? {
        let start = position &+ 1
        var i = start
        while true {
            // Eight bytes at a time to the first quote, backslash, control or non-ASCII byte.
            while i &+ 8 <= count {
                let special = Self.specialBytes(UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            if i &+ 8 > count {
                while i < count {
                    let b = bytes[i]
                    guard b >= 0x20, b < 0x80, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") else { break }
                    i &+= 1
                }
            }
            guard i < count else { return nil }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            guard b >= 0x80 else { return nil }
            let length = utf8Length(at: i)
            guard length > 0 else { return nil }
            i &+= length
        }
        position = i &+ 1
        return Span(start: start, end: i)
    }

    /// The length of the valid UTF-8 sequence at `position`, 0 when invalid.
    private func utf8Length(at position: Int) -> Int {
        guard case .valid(let length) = UTF8Sequence.check(bytes, at: position, count: count) else { return 0 }
        return length
    }

    /// `number()` of a number that is valid JSON but not a non-negative integer below 2^63.
    private static let notAnInteger: Int64 = -1
    /// `number()` of text that is not a JSON number.
    private static let invalid: Int64 = -2

    /// A JSON number at `position`: its value when it is a non-negative integer that fits in
    /// 63 bits (what `FieldReader.unsigned` accepts), else `notAnInteger` or `invalid`.
    private mutating func number() -> Int64 {
        var i = position
        var integer = true
        if i < count, bytes[i] == UInt8(ascii: "-") {
            integer = false
            i &+= 1
        }
        guard i < count else { return Self.invalid }
        let first = bytes[i] &- UInt8(ascii: "0")
        guard first < 10 else { return Self.invalid }
        i &+= 1
        var value = UInt64(first)
        if first == 0 {
            if i < count, bytes[i] &- UInt8(ascii: "0") < 10 { return Self.invalid }
        } else {
            let digitsStart = i
            while i < count {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                value = value &* 10 &+ UInt64(digit)
                i &+= 1
            }
            // 19 digits may pass 2^63 - 1; 20 or more always do (and may wrap).
            if i &- digitsStart > 18 || value > UInt64(Int64.max) { integer = false }
        }
        if i < count, bytes[i] == UInt8(ascii: ".") {
            integer = false
            i &+= 1
            guard i < count, isDigit(bytes[i]) else { return Self.invalid }
            while i < count, isDigit(bytes[i]) { i &+= 1 }
        }
        if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            integer = false
            i &+= 1
            if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i &+= 1 }
            guard i < count, isDigit(bytes[i]) else { return Self.invalid }
            while i < count, isDigit(bytes[i]) { i &+= 1 }
        }
        position = i
        return integer ? Int64(truncatingIfNeeded: value) : Self.notAnInteger
    }

    /// Consumes `text` when the payload spells it at `position`.
    private mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard position &+ length <= count, JSONDocument.equal(bytes + position, text.utf8Start, length) else { return false }
        position &+= length
        return true
    }

    // MARK: Helpers

    private var peek: UInt8 { position < count ? bytes[position] : 0 }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    @inline(__always)
    private mutating func skipWhitespace() {
        if position < count, bytes[position] > 0x20 { return }
        skipSomeWhitespace()
    }

    private mutating func skipSomeWhitespace() {
        var i = position
        while i < count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i &+= 1
            default:
                position = i
                return
            }
        }
        position = i
    }
}
