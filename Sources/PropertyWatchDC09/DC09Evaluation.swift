import PropertyWatchCore

/// What to do about one frame, decided by `DC09Gateway.evaluate`.
public struct DC09Evaluation: Sendable {
    /// A message to publish at QoS 1.
    public struct Publication: Sendable, Hashable {
        public var topic: String
        public var payload: [UInt8]
    }

    /// What to wait for before the ACK goes out.
    public struct Awaited: Sendable, Hashable {
        public var site: SiteID
        public var device: DeviceID
        public var sequence: UInt64
    }

    public enum Decision: Sendable {
        /// Answer at once (NAK, DUH), nothing published.
        case reply(DC09Reply.Kind, [UInt8])
        /// Publish, then send `ack` once the daemon's acknowledgement names `awaited`.
        case publishAndAwait([Publication], awaited: Awaited, ack: [UInt8])
        /// Publish (so the daemon dead-letters it), then answer at once (or not, when nil).
        case publishAndReply([Publication], DC09Reply.Kind, [UInt8]?)
        /// No answer.
        case none
    }

    public var decision: Decision
    /// The account the frame named, when it parsed that far.
    public var account: String?
    /// Why the frame was not simply accepted: a stable reason for counters, and a detail for logs.
    public var reason: String?
    public var detail: String?

    public init(_ decision: Decision, account: String? = nil, reason: String? = nil, detail: String? = nil) {
        self.decision = decision
        self.account = account
        self.reason = reason
        self.detail = detail
    }
}
