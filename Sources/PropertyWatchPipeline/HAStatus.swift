/// A daemon's place in its pair, for `/health`, `/metrics` and the dashboard.
public struct HAStatus: Sendable, Hashable, Codable {
    public var node: String
    public var group: String
    /// `starting`, `standby`, `candidate` or `active`.
    public var role: String
    public var term: UInt64
    /// The leader as this node knows it.
    public var leader: String?
    /// Seconds until this node's lease must be renewed (active), or until a standby would
    /// take over from a silent leader.
    public var leaseExpiresSeconds: Double?
    public var silenceSeconds: Double
    /// The other node of the pair: its name, role and how long ago it was heard.
    public var peer: String?
    public var peerRole: String?
    public var peerAgeSeconds: Double?
    public var brokerConnected: Bool
    public var takeovers: Int
    /// Rows held back as standby, and rows the active's publishes confirmed.
    public var held: Int
    public var matched: Int
    public var publishedAtTakeover: Int
    public var commands: Int
}
