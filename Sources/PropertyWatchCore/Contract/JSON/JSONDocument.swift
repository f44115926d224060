/// Read access to a scanned payload: the bytes and their token tape. Valid only inside
/// `JSONDocument.parse`; values are tape indices, strings are byte ranges until asked for.
struct JSONDocument {
    let bytes: UnsafeRawBufferPointer
    let tape: UnsafeBufferPointer<JSONToken>
    /// The root object's keys (hash and tape index) in order, when the root is an object.
    let rootKeys: UnsafeBufferPointer<JSONScanner.KeySlot>
    /// Open-addressing index over `rootKeys` (key tape index + 1, 0 for empty), when the root
    /// has at most `rootTableSize / 2` keys; empty otherwise (then `rootKeys` is scanned).
    let rootTable: UnsafeBufferPointer<UInt32>

    static let rootTableSize = 64

    /// Scans `payload` and calls `body` with the document, or `failure` with the scan error.
    /// The tape lives in temporary (stack when possible) storage.
    static func parse<R>(
        _ payload: UnsafeRawBufferPointer, maxDepth: Int,
        _ body: (JSONDocument) -> R, failure: (JSONError) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: JSONToken.self, capacity: payload.count + 1) { tape in
            withUnsafeTemporaryAllocation(of: JSONScanner.KeySlot.self, capacity: payload.count / 4 + 1) { keys in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: rootTableSize) { table in
                    let count: Int
                    do throws(JSONError) {
                        count = try JSONScanner.scan(payload, maxDepth: maxDepth, into: tape, keys: keys)
                    } catch {
                        return failure(error)
                    }
                    // The scanner leaves the root object's keys in the first slots.
                    let rootKeyCount = tape[0].kind == .object ? Int(tape[0].aux) : 0
                    var tableCount = 0
                    if rootKeyCount <= rootTableSize / 2 {
                        tableCount = rootTableSize
                        table.initialize(repeating: 0)
                        for slot in keys[0..<rootKeyCount] {
                            var i = rootSlot(slot.hash)
                            while table[i] != 0 { i = (i + 1) & (rootTableSize - 1) }
                            table[i] = slot.token + 1
                        }
                    }
                    return body(JSONDocument(
                        bytes: payload, tape: UnsafeBufferPointer(rebasing: tape[0..<count]),
                        rootKeys: UnsafeBufferPointer(rebasing: keys[0..<rootKeyCount]),
                        rootTable: UnsafeBufferPointer(rebasing: table[0..<tableCount])))
                }
            }
        }
    }

    @inline(__always)
    private static func rootSlot(_ hash: UInt32) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B1) >> 26) & (rootTableSize - 1)
    }

    subscript(index: Int) -> JSONToken { tape[index] }

    /// The tape index after the value at `index`.
    func next(after index: Int) -> Int {
        let token = tape[index]
        return token.kind == .object || token.kind == .array ? Int(token.link) : index + 1
    }

    /// The value of member `name` of the object at `object`, or nil. Compares the key hashes
    /// the scanner recorded before any bytes.
    func member(_ name: StaticString, of object: Int) -> Int? {
        let length = name.utf8CodeUnitCount
        let hash = Self.keyHash(name.utf8Start, length)
        if object == 0, !rootTable.isEmpty {
            var i = Self.rootSlot(hash)
            while true {
                let entry = rootTable[i]
                if entry == 0 { return nil }
                let key = Int(entry) - 1
                if tape[key].aux == hash, keyEquals(tape[key], name) { return key + 1 }
                i = (i + 1) & (Self.rootTableSize - 1)
            }
        }
        if object == 0 {
            for slot in rootKeys where slot.hash == hash {
                let key = Int(slot.token)
                if keyEquals(tape[key], name) { return key + 1 }
            }
            return nil
        }
        let end = Int(tape[object].link)
        var key = object + 1
        while key < end {
            let token = tape[key]
            if token.aux == hash {
                if token.flags & JSONToken.hasEscapes == 0 {
                    let base = bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
                    if Int(token.link) - Int(token.start) == length, Self.equal(base + Int(token.start), name.utf8Start, length) {
                        return key + 1
                    }
                } else if decodedBytes(token).elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: length)) {
                    return key + 1
                }
            }
            key = next(after: key + 1)
        }
        return nil
    }

    private func keyEquals(_ token: JSONToken, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        if token.flags & JSONToken.hasEscapes == 0 {
            let base = bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
            return Int(token.link) - Int(token.start) == length && Self.equal(base + Int(token.start), name.utf8Start, length)
        }
        return decodedBytes(token).elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: length))
    }

    /// A cheap hash of a key's (decoded) bytes: length, first, middle and last byte. Keys that
    /// collide are compared byte for byte; `JSONScanner.maxMembers` bounds that work.
    @inline(__always)
    static func keyHash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        guard count > 0 else { return 0 }
        let length = UInt32(truncatingIfNeeded: count) & 0xFF
        return length | UInt32(p[0]) << 8 | UInt32(p[count >> 1]) << 16 | UInt32(p[count - 1]) << 24
    }

    /// Calls `body` with each element index of the array at `array`.
    func forEachElement(of array: Int, _ body: (Int) throws(Rejection) -> Void) throws(Rejection) {
        let end = Int(tape[array].link)
        var element = array + 1
        while element < end {
            try body(element)
            element = next(after: element)
        }
    }

    /// Calls `body` with the key and value indices of each member of the object at `object`.
    func forEachMember(of object: Int, _ body: (_ key: Int, _ value: Int) throws(Rejection) -> Void) throws(Rejection) {
        let end = Int(tape[object].link)
        var key = object + 1
        while key < end {
            try body(key, key + 1)
            key = next(after: key + 1)
        }
    }

    /// The raw bytes of a string (without quotes, escapes undecoded) or number; for other
    /// values, the rest of the payload from the value on (for excerpts).
    func raw(_ index: Int) -> UnsafeRawBufferPointer {
        let token = tape[index]
        switch token.kind {
        case .string, .number: return UnsafeRawBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.link)])
        default: return UnsafeRawBufferPointer(rebasing: bytes[Int(token.start)...])
        }
    }

    /// The string at `index`, unescaped.
    func string(_ index: Int) -> String {
        let token = tape[index]
        if token.flags & JSONToken.hasEscapes == 0 {
            return String(decoding: raw(index), as: UTF8.self)
        }
        return String(decoding: decodedBytes(token), as: UTF8.self)
    }

    /// The value paired with the text the string at `index` spells (after unescaping), if any.
    func match<T>(_ index: Int, _ table: [(StaticString, T)]) -> T? {
        let token = tape[index]
        if token.flags & JSONToken.hasEscapes != 0 {
            let decoded = decodedBytes(token)
            for (text, value) in table
            where decoded.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) {
                return value
            }
            return nil
        }
        let base = bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self) + Int(token.start)
        let length = Int(token.link) - Int(token.start)
        for (text, value) in table where text.utf8CodeUnitCount == length && Self.equal(base, text.utf8Start, length) {
            return value
        }
        return nil
    }

    /// Whether the string at `index` equals `text` (after unescaping).
    func string(_ index: Int, equals text: String) -> Bool {
        let token = tape[index]
        var text = text
        return text.withUTF8 { utf8 in
            if token.flags & JSONToken.hasEscapes == 0 {
                let raw = raw(index)
                guard raw.count == utf8.count else { return false }
                return utf8.isEmpty
                    || Self.equal(
                        raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self),
                        utf8.baseAddress.unsafelyUnwrapped, utf8.count)
            }
            return decodedBytes(token).elementsEqual(utf8)
        }
    }

    /// The unescaped bytes of a string token (slow path, only for strings with escapes).
    func decodedBytes(_ token: JSONToken) -> [UInt8] {
        Self.decodedBytes(token, in: bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
    }

    static func decodedBytes(_ token: JSONToken, in bytes: UnsafePointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = Int(token.start)
        let end = Int(token.link)
        out.reserveCapacity(end - i)
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(bytes + i)
                i += 4
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    let low = hex4(bytes + i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                Self.forEachUTF8Byte(of: scalar) { out.append($0) }
            default: out.append(e)
            }
        }
        return out
    }

    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = p[k]
            let digit: UInt8 =
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
                default: b &- UInt8(ascii: "A") &+ 10
                }
            value = value << 4 | UInt32(digit & 0xF)
        }
        return value
    }

    /// Whether two key tokens spell the same key after unescaping.
    static func keysEqual(_ a: JSONToken, _ b: JSONToken, bytes: UnsafePointer<UInt8>) -> Bool {
        if a.flags & JSONToken.hasEscapes == 0, b.flags & JSONToken.hasEscapes == 0 {
            let length = Int(a.link) - Int(a.start)
            return length == Int(b.link) - Int(b.start)
                && equal(bytes + Int(a.start), bytes + Int(b.start), length)
        }
        return decodedBytes(a, in: bytes) == decodedBytes(b, in: bytes)
    }

    /// Byte-wise equality of two short ranges.
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// The UTF-8 encoding of a valid scalar value.
    static func forEachUTF8Byte(of scalar: UInt32, _ body: (UInt8) -> Void) {
        switch scalar {
        case 0..<0x80:
            body(UInt8(scalar))
        case 0x80..<0x800:
            body(UInt8(0xC0 | scalar >> 6))
            body(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            body(UInt8(0xE0 | scalar >> 12))
            body(UInt8(0x80 | scalar >> 6 & 0x3F))
            body(UInt8(0x80 | scalar & 0x3F))
        default:
            body(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            body(UInt8(0x80 | scalar >> 12 & 0x3F))
            body(UInt8(0x80 | scalar >> 6 & 0x3F))
            body(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
