/// Which committed outbox rows are handed to the publisher now and which wait in the journal,
/// and which confirmations are still to be recorded. A state machine without I/O: the
/// pipeline tells it how full the publisher's queue is and does what it answers.
///
/// At most `size` rows wait in the publisher's queue; the rest wait in the journal's outbox
/// and are read back (`refill`) as the queue empties, so a broker that is slow to acknowledge
/// (or a restart with a long outbox) costs disk, not memory.
public struct OutboxWindow: Sendable, Equatable {
    /// The most rows allowed in the publisher's queue (at least 2).
    public let size: Int
    /// The highest outbox id handed to the publisher.
    public private(set) var handedThrough: Int64 = 0
    /// Whether committed rows wait in the journal because the publisher's queue was full.
    public private(set) var isBehind = false
    /// Outbox ids the broker confirmed, not yet marked sent in the journal.
    public private(set) var confirmed: [Int64] = []
    /// When confirmations were last marked sent (pipeline clock, milliseconds).
    public private(set) var lastMarked: Int64 = 0

    /// Confirmations are marked at least this often while idle (milliseconds).
    public static let markInterval: Int64 = 1000

    public init(size: Int) {
        self.size = max(2, size)
    }

    /// What to do with the rows of a commit.
    public enum Publish: Sendable, Equatable {
        /// Hand them to the publisher, then call `handed(through:)` with the last id.
        case handOver
        /// Leave them in the journal for `refill`. `fellBehind`: this call started the wait.
        case leaveInJournal(fellBehind: Bool)
    }

    /// At start: every unconfirmed row is sent again, read back from the journal.
    public mutating func resendAll() {
        handedThrough = 0
        isBehind = true
    }

    /// Decides for the rows of one commit, with `queued` rows in the publisher's queue.
    public mutating func publish(queued: Int) -> Publish {
        if isBehind { return .leaveInJournal(fellBehind: false) }
        guard queued < size else {
            isBehind = true
            return .leaveInJournal(fellBehind: true)
        }
        return .handOver
    }

    /// Rows up to `id` were handed to the publisher.
    public mutating func handed(through id: Int64) {
        handedThrough = max(handedThrough, id)
    }

    /// A read of the journal to hand over waiting rows: those after `after`, at most `limit`.
    public struct Refill: Sendable, Equatable {
        public var after: Int64
        public var limit: Int

        public init(after: Int64, limit: Int) {
            self.after = after
            self.limit = limit
        }
    }

    /// While rows wait in the journal, a read once the publisher's queue is at most half full.
    public func refill(queued: Int) -> Refill? {
        guard isBehind else { return nil }
        let room = size - queued
        guard room >= size / 2 else { return nil }
        return Refill(after: handedThrough, limit: room)
    }

    /// The rows of `refill` were read (`count` of them, the last `lastID`) and handed over.
    /// Returns whether the journal has caught up (fewer rows than asked for were left).
    public mutating func refilled(_ refill: Refill, count: Int, lastID: Int64?) -> Bool {
        if let lastID { handed(through: lastID) }
        guard count < refill.limit else { return false }
        isBehind = false
        return true
    }

    /// The broker confirmed these rows.
    public mutating func confirm(_ ids: [Int64]) {
        confirmed.append(contentsOf: ids)
    }

    /// Whether confirmations wait to be marked and the last marking is at least
    /// `markInterval` ago.
    public func markDue(now: Int64) -> Bool {
        !confirmed.isEmpty && now - lastMarked >= Self.markInterval
    }

    /// The confirmations were marked sent in a commit at `now`.
    public mutating func marked(at now: Int64) {
        confirmed.removeAll(keepingCapacity: true)
        lastMarked = now
    }
}
