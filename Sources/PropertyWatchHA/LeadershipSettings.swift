/// Timing of the leader lease, all derived from one configured silence.
public struct LeadershipSettings: Sendable, Hashable {
    /// How long a standby waits without hearing from the leader before it takes over (ms).
    public var silenceMilliseconds: Int64

    public init(silenceMilliseconds: Int64 = 6_000) {
        self.silenceMilliseconds = max(300, silenceMilliseconds)
    }

    /// The leader renews its record this often.
    public var renewMilliseconds: Int64 { silenceMilliseconds / 3 }
    /// The leader fences itself when its own record has not come back from the broker for
    /// this long: one renewal before any standby may take over.
    public var fenceMilliseconds: Int64 { silenceMilliseconds - renewMilliseconds }
    /// A claimant waits this long after its claim (for a competing claim, and for the last
    /// publishes of a leader that just died to reach it) before it acts.
    public var settleMilliseconds: Int64 { silenceMilliseconds / 3 }
    /// After connecting, a node listens this long for the retained record before it claims.
    public var startupMilliseconds: Int64 { silenceMilliseconds / 3 }
}
