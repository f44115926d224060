/// Who publishes: the leadership of an active/standby pair, decided through a retained lease
/// record on the broker. Pure: the edge feeds it its broker connection, the records it
/// receives and the clock, and carries out the actions it returns.
///
/// - A standby takes over when the leader has been silent for `silenceMilliseconds`, or at
///   once when the leader's release (clean shutdown, or its last will) arrives.
/// - A claim raises the term; the higher term wins, and of two claims for one term the one the
///   broker delivered first (all nodes see the same order), so two nodes that claim at once
///   agree on one leader, and a stale leader's record, or a claim that sat in a partitioned
///   link, loses.
/// - The leader fences itself (stops publishing) as soon as it loses the broker, sees a
///   record that outranks its own, or has not seen its own renewal come back for
///   `fenceMilliseconds`, which is before any standby may take over.
public struct LeadershipStateMachine: Sendable {
    public enum Role: String, Sendable, Hashable, Codable {
        /// Connected, listening for the retained record before deciding.
        case starting
        case standby
        /// Claimed the lease, waiting for the claim to settle.
        case candidate
        case active
    }

    public enum Action: Sendable, Hashable {
        /// Publish this record (retained) on the leader topic.
        case publish(LeaseRecord)
        /// Start publishing actions: this node holds the lease for `term`.
        case becomeActive(term: UInt64)
        /// Stop publishing at once (fence); the reason is for the log.
        case becomeStandby(reason: String)
    }

    public let node: String
    public let settings: LeadershipSettings
    public private(set) var role: Role = .starting
    /// This node's term while candidate or active.
    public private(set) var term: UInt64 = 0
    /// The leader as last heard (another node, or this one from an earlier run).
    public private(set) var leader: LeaseRecord?
    /// When `leader` was last heard (local clock).
    public private(set) var leaderHeardAt: Int64?
    /// The highest term seen on the topic.
    public private(set) var highestTerm: UInt64 = 0
    /// The first record the broker delivered for the highest term: that node owns the term.
    public private(set) var owner: LeaseRecord?
    /// Times this node became active.
    public private(set) var takeovers = 0
    private var connectedSince: Int64?
    private var lastOwnEcho: Int64?
    private var lastPublished: Int64?
    private var claimedAt: Int64?

    public init(node: String, settings: LeadershipSettings) {
        self.node = node
        self.settings = settings
    }

    public var isConnected: Bool { connectedSince != nil }

    /// Until when this node may publish (local ms); nil unless active.
    public var leaseExpiresAt: Int64? {
        guard role == .active, let lastOwnEcho else { return nil }
        return lastOwnEcho + settings.fenceMilliseconds
    }

    /// When a standby would take over if the leader stays silent (local ms).
    public var takeoverDueAt: Int64? {
        guard role == .standby || role == .starting, let leaderHeardAt, leader != nil else { return nil }
        return leaderHeardAt + settings.silenceMilliseconds
    }

    // MARK: inputs

    /// The leadership connection is up and subscribed to the leader topic.
    public mutating func connected(now: Int64) -> [Action] {
        connectedSince = now
        if role == .standby, leader == nil { role = .starting }
        return []
    }

    /// The leadership connection is gone: a leader or claimant fences at once.
    public mutating func disconnected(now: Int64) -> [Action] {
        connectedSince = nil
        return stepDown(reason: "broker connection lost", now: now)
    }

    /// A record arrived on the leader topic; nil for an empty (cleared) or unreadable one.
    ///
    /// Every node sees the records in the broker's order, so "the first claim delivered for
    /// the highest term" is the same on all of them: that node owns the term. A claim for the
    /// same term that arrives later (two nodes claiming at once, or a claim that sat in a
    /// partitioned link) loses, wherever it came from.
    public mutating func received(_ record: LeaseRecord?, now: Int64) -> [Action] {
        guard let record else { return [] }
        let holding = role == .active || role == .candidate
        if record.released {
            if record.node != node, record.node == leader?.node {
                // The leader let go (clean shutdown or its last will): claim without waiting.
                leader = nil
                leaderHeardAt = nil
                return holding || !isConnected ? [] : claim(now: now)
            }
            // Our own will from an earlier connection, or a release of a node that does not
            // lead: a holder restores its record.
            return holding ? [publishOwn(now: now)] : []
        }
        highestTerm = max(highestTerm, record.term)
        if owner == nil || record.term > owner!.term { owner = record }
        let isOwner = record.term == owner!.term && record.node == owner!.node
        if holding {
            if record.node == node, record.term == term, isOwner {
                lastOwnEcho = now
                return []
            }
            if owner!.term > term || (owner!.term == term && owner!.node != node) {
                leader = owner
                leaderHeardAt = now
                return stepDown(reason: "outranked by \(owner!.node) term \(owner!.term)", now: now)
            }
            // A stale or losing record (ours from an earlier run, or a late claim): restore ours.
            return [publishOwn(now: now)]
        }
        if role == .starting { role = .standby }
        if isOwner {
            leader = record
            leaderHeardAt = now
        }
        return []
    }

    /// Time passes: renew, settle a claim, fence a lease that was not renewed, or take over
    /// from a silent leader.
    public mutating func tick(now: Int64) -> [Action] {
        guard let connectedSince else { return [] }
        switch role {
        case .active:
            if now - (lastOwnEcho ?? 0) > settings.fenceMilliseconds {
                return stepDown(reason: "lease not renewed", now: now)
            }
            if now - (lastPublished ?? 0) >= settings.renewMilliseconds { return [publishOwn(now: now)] }
            return []
        case .candidate:
            let since = claimedAt ?? now
            if lastOwnEcho != nil, now - since >= settings.settleMilliseconds {
                role = .active
                takeovers += 1
                leader = nil
                leaderHeardAt = nil
                return [.becomeActive(term: term), publishOwn(now: now)]
            }
            if lastOwnEcho == nil, now - since > settings.fenceMilliseconds {
                return stepDown(reason: "claim not echoed by the broker", now: now)
            }
            return []
        case .starting, .standby:
            if let leaderHeardAt, leader != nil {
                return now - leaderHeardAt >= settings.silenceMilliseconds ? claim(now: now) : []
            }
            return now - connectedSince >= settings.startupMilliseconds ? claim(now: now) : []
        }
    }

    /// A clean shutdown: a leader publishes its release so a standby takes over at once.
    public mutating func release(now: Int64) -> [Action] {
        guard role == .active || role == .candidate else { return [] }
        let actions = stepDown(reason: "shutting down", now: now)
        return actions + [.publish(.released(node: node))]
    }

    // MARK: steps

    private mutating func claim(now: Int64) -> [Action] {
        term = highestTerm + 1
        highestTerm = term
        role = .candidate
        claimedAt = now
        lastOwnEcho = nil
        return [publishOwn(now: now)]
    }

    private mutating func stepDown(reason: String, now: Int64) -> [Action] {
        let was = role
        guard was == .active || was == .candidate else { return [] }
        role = .standby
        if leader == nil {
            // Our own lease is the last one known: a standby waits out its silence.
            leader = LeaseRecord(node: node, term: term, renewedAt: now, expiresAt: now + settings.silenceMilliseconds)
            leaderHeardAt = lastOwnEcho ?? now
        }
        lastOwnEcho = nil
        claimedAt = nil
        return [.becomeStandby(reason: reason)]
    }

    private mutating func publishOwn(now: Int64) -> Action {
        lastPublished = now
        return .publish(LeaseRecord(node: node, term: term, renewedAt: now, expiresAt: now + settings.silenceMilliseconds))
    }
}
