/// A set or dictionary that encodes its elements in sorted order.
///
/// A hash table's iteration order depends on its history and on a per-process seed, so two
/// equal sets can encode to different bytes. Wrapping a field of the core's state in this
/// makes the snapshot encoding canonical: equal state, equal bytes (see `WatchSnapshot`).
/// Reading and writing the wrapped value costs nothing more than the field itself.
@propertyWrapper
struct SnapshotOrdered<Value: SnapshotOrderable> {
    var wrappedValue: Value

    init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}

extension SnapshotOrdered: Sendable where Value: Sendable {}
extension SnapshotOrdered: Equatable where Value: Equatable {}
extension SnapshotOrdered: Hashable where Value: Hashable {}

extension SnapshotOrdered: Codable {
    init(from decoder: any Decoder) throws {
        wrappedValue = try Value(orderedFrom: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try wrappedValue.encodeOrdered(to: encoder)
    }
}

/// A collection `SnapshotOrdered` can encode in a canonical order.
protocol SnapshotOrderable {
    init(orderedFrom decoder: any Decoder) throws
    func encodeOrdered(to encoder: any Encoder) throws
}

extension Set: SnapshotOrderable where Element: Codable & Comparable {
    init(orderedFrom decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }

    func encodeOrdered(to encoder: any Encoder) throws {
        try sorted().encode(to: encoder)
    }
}

extension Dictionary: SnapshotOrderable where Key: Codable & Comparable, Value: Codable {
    /// Encoded as `[key, value, key, value, …]` by ascending key.
    init(orderedFrom decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        self.init()
        while !container.isAtEnd {
            let key = try container.decode(Key.self)
            self[key] = try container.decode(Value.self)
        }
    }

    func encodeOrdered(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for key in keys.sorted() {
            try container.encode(key)
            try container.encode(self[key]!)
        }
    }
}
