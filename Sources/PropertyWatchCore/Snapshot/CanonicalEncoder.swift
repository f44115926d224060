/// An `Encoder` that writes a value as canonical bytes: equal values give equal bytes in every
/// process, and unequal values (as their `Encodable` conformance sees them) unequal bytes.
///
/// The format is its own, self-delimiting and tagged, so no two encodings run together:
/// `n` nil, `t`/`f` booleans, `i<decimal>;` integers, `d<IEEE bits, hex>;` floating point,
/// `s<UTF-8 length>:<UTF-8>` strings, `{key value …}` keyed containers with their keys
/// sorted, `[value …]` unkeyed containers in order, and `<element …>` sets and dictionaries
/// (whatever their key type), their elements (for dictionaries, key then value) sorted by
/// their own encoding, as a hash table's order differs between processes. `e` is a value
/// that encoded nothing.
///
/// It never throws itself; `bytes(of:)` throws only what the value's `encode(to:)` throws.
struct CanonicalEncoder {
    static func bytes(of value: some Encodable) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try Value.of(value).write(into: &out)
        return out
    }

    /// One encoded value, before it is written: containers keep their children until then,
    /// so that keyed ones can be written in key order.
    indirect enum Value {
        case empty
        case null
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        /// Already canonical bytes (a set's or dictionary's sorted elements).
        case bytes([UInt8])
        /// A value still being written through a container (see `Node`).
        case node(Node)

        /// `value` encoded, sets and dictionaries in their canonical order.
        static func of(_ value: some Encodable) throws -> Value {
            if let unordered = value as? any CanonicallyUnordered {
                var elements = try unordered.canonicalElements()
                elements.sort { $0.lexicographicallyPrecedes($1) }
                var out: [UInt8] = [UInt8(ascii: "<")]
                for element in elements { out += element }
                out.append(UInt8(ascii: ">"))
                return .bytes(out)
            }
            let node = Node()
            try value.encode(to: Writer(node: node))
            return node.value
        }

        func write(into out: inout [UInt8]) {
            switch self {
            case .empty: out.append(UInt8(ascii: "e"))
            case .null: out.append(UInt8(ascii: "n"))
            case .bool(let b): out.append(UInt8(ascii: b ? "t" : "f"))
            case .int(let i):
                out.append(UInt8(ascii: "i"))
                out += String(i).utf8
                out.append(UInt8(ascii: ";"))
            case .uint(let u):
                out.append(UInt8(ascii: "i"))
                out += String(u).utf8
                out.append(UInt8(ascii: ";"))
            case .double(let d):
                out.append(UInt8(ascii: "d"))
                out += String(d.bitPattern, radix: 16).utf8
                out.append(UInt8(ascii: ";"))
            case .string(let s): Self.string(s, into: &out)
            case .bytes(let bytes): out += bytes
            case .node(let node): node.value.write(into: &out)
            }
        }

        static func string(_ value: String, into out: inout [UInt8]) {
            out.append(UInt8(ascii: "s"))
            out += String(value.utf8.count).utf8
            out.append(UInt8(ascii: ":"))
            out += value.utf8
        }
    }

    /// The storage a value's containers write into.
    final class Node {
        var scalar: Value = .empty
        var keyed: [(key: String, value: Value)]?
        var unkeyed: [Value]?

        var value: Value {
            if let keyed {
                var out: [UInt8] = [UInt8(ascii: "{")]
                for entry in keyed.sorted(by: { $0.key < $1.key }) {
                    Value.string(entry.key, into: &out)
                    entry.value.write(into: &out)
                }
                out.append(UInt8(ascii: "}"))
                return .bytes(out)
            }
            if let unkeyed {
                var out: [UInt8] = [UInt8(ascii: "[")]
                for item in unkeyed { item.write(into: &out) }
                out.append(UInt8(ascii: "]"))
                return .bytes(out)
            }
            return scalar
        }

        func set(_ key: String, _ value: Value) {
            keyed!.append((key, value))
        }

        func append(_ value: Value) {
            unkeyed!.append(value)
        }
    }

    /// The `Encoder` handed to a value's `encode(to:)`: it fills one node. Coding paths are
    /// not tracked (nothing here reports errors).
    struct Writer: Encoder {
        let node: Node
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.keyed == nil { node.keyed = [] }
            return KeyedEncodingContainer(Keyed<Key>(node: node))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if node.unkeyed == nil { node.unkeyed = [] }
            return Unkeyed(node: node)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, .double(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { node.set(key.stringValue, .double(Double(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { node.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { node.set(key.stringValue, .int(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { node.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { node.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { node.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { node.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { node.set(key.stringValue, .uint(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { node.set(key.stringValue, try .of(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            superEncoder(forKey: key).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            superEncoder(forKey: key).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { child("super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { child(key.stringValue) }

        private func child(_ key: String) -> Writer {
            let child = Node()
            node.set(key, .node(child))
            return Writer(node: child)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] { [] }
        var count: Int { node.unkeyed?.count ?? 0 }

        mutating func encodeNil() throws { node.append(.null) }
        mutating func encode(_ value: Bool) throws { node.append(.bool(value)) }
        mutating func encode(_ value: String) throws { node.append(.string(value)) }
        mutating func encode(_ value: Double) throws { node.append(.double(value)) }
        mutating func encode(_ value: Float) throws { node.append(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { node.append(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { node.append(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { node.append(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { node.append(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { node.append(.int(value)) }
        mutating func encode(_ value: UInt) throws { node.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { node.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { node.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { node.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { node.append(.uint(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { node.append(try .of(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            superEncoder().container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { superEncoder().unkeyedContainer() }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            node.append(.node(child))
            return Writer(node: child)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { node.scalar = .null }
        mutating func encode(_ value: Bool) throws { node.scalar = .bool(value) }
        mutating func encode(_ value: String) throws { node.scalar = .string(value) }
        mutating func encode(_ value: Double) throws { node.scalar = .double(value) }
        mutating func encode(_ value: Float) throws { node.scalar = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { node.scalar = .int(Int64(value)) }
        mutating func encode(_ value: Int8) throws { node.scalar = .int(Int64(value)) }
        mutating func encode(_ value: Int16) throws { node.scalar = .int(Int64(value)) }
        mutating func encode(_ value: Int32) throws { node.scalar = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { node.scalar = .int(value) }
        mutating func encode(_ value: UInt) throws { node.scalar = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { node.scalar = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { node.scalar = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { node.scalar = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { node.scalar = .uint(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { node.scalar = try .of(value) }
    }
}

/// A collection whose iteration order is not part of its value: `CanonicalEncoder` encodes
/// its elements each on its own and sorts them.
protocol CanonicallyUnordered {
    func canonicalElements() throws -> [[UInt8]]
}

extension Set: CanonicallyUnordered where Element: Encodable {
    func canonicalElements() throws -> [[UInt8]] {
        try map { try CanonicalEncoder.bytes(of: $0) }
    }
}

extension Dictionary: CanonicallyUnordered where Key: Encodable, Value: Encodable {
    /// Each entry is its key's encoding followed by its value's (both self-delimiting).
    func canonicalElements() throws -> [[UInt8]] {
        try map { try CanonicalEncoder.bytes(of: $0.key) + CanonicalEncoder.bytes(of: $0.value) }
    }
}
