import Foundation

/// The retained leader record on `HATopics.leader`: who holds the lease, for which term, and
/// (informational, the holder's wall clock) when it was renewed and until when it holds.
///
/// A record with `released` set says the node gave the lease up: published on a clean
/// shutdown, and by the broker as the node's last will when its connection dies.
public struct LeaseRecord: Sendable, Hashable, Codable {
    public var node: String
    /// Raised by every claim; the higher term wins, and for one term the claim the broker
    /// delivered first (see `LeadershipStateMachine.received`).
    public var term: UInt64
    public var renewedAt: Int64
    public var expiresAt: Int64
    public var released: Bool

    public init(node: String, term: UInt64, renewedAt: Int64, expiresAt: Int64, released: Bool = false) {
        self.node = node
        self.term = term
        self.renewedAt = renewedAt
        self.expiresAt = expiresAt
        self.released = released
    }

    /// The record a node's last will publishes: no term (the will is fixed at connect time),
    /// so it releases whatever term that node holds.
    public static func released(node: String) -> LeaseRecord {
        LeaseRecord(node: node, term: 0, renewedAt: 0, expiresAt: 0, released: true)
    }

    private enum CodingKeys: String, CodingKey {
        case node, term, released
        case renewedAt = "renewed_at"
        case expiresAt = "expires_at"
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? Array(encoder.encode(self))) ?? []
    }

    /// Reads a record; nil for an empty (cleared) or unreadable payload.
    public static func decode(_ payload: [UInt8]) -> LeaseRecord? {
        guard !payload.isEmpty else { return nil }
        return try? JSONDecoder().decode(LeaseRecord.self, from: Data(payload))
    }
}
