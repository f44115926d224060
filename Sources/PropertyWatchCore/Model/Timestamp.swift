/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
///
/// The core never reads a clock; every function that needs "now" takes a `Timestamp`.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = secondsSinceEpoch * 1000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Timestamp, rhs: Milliseconds) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch + rhs.value)
    }

    public static func - (lhs: Timestamp, rhs: Milliseconds) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch - rhs.value)
    }

    public static func - (lhs: Timestamp, rhs: Timestamp) -> Milliseconds {
        Milliseconds(lhs.millisecondsSinceEpoch - rhs.millisecondsSinceEpoch)
    }

    public var description: String { "t=\(millisecondsSinceEpoch)ms" }

    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }
}

/// A span of time in milliseconds.
public struct Milliseconds: Hashable, Comparable, Sendable, Codable {
    public var value: Int64
    public init(_ value: Int64) { self.value = value }
    public static func seconds(_ s: Int64) -> Milliseconds { Milliseconds(s * 1000) }
    public static func minutes(_ m: Int64) -> Milliseconds { Milliseconds(m * 60_000) }
    public static func hours(_ h: Int64) -> Milliseconds { Milliseconds(h * 3_600_000) }
    public static func < (lhs: Milliseconds, rhs: Milliseconds) -> Bool { lhs.value < rhs.value }
    public static func + (lhs: Milliseconds, rhs: Milliseconds) -> Milliseconds { Milliseconds(lhs.value + rhs.value) }
    public static func * (lhs: Milliseconds, rhs: Int64) -> Milliseconds { Milliseconds(lhs.value * rhs) }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
