import PropertyWatchCore
import Synchronization

/// Counters the pipeline keeps for the operator API, metrics and tests. Thread-safe.
public final class PipelineStatistics: Sendable {
    private let state = Mutex<Snapshot>(Snapshot())

    /// A consistent copy of every counter.
    public struct Snapshot: Sendable, Equatable {
        public var received = 0
        public var accepted = 0
        public var ignored = 0
        public var rejected: [RejectionReason: Int] = [:]
        public var batches = 0
        public var published = 0
        public var replayed = 0
        public var guardRequests = 0
        public var lastCommitMicroseconds = 0
        /// Times committed outbox rows had to wait in the journal because the publisher's
        /// queue was full (a broker slow to acknowledge).
        public var outboxDeferrals = 0
        /// Decision records by site, zone and verdict (since start; the journal has them all).
        public var decisions: [DecisionKey: Int] = [:]
        /// Whether journal commits are failing right now (disk full, I/O error): the pipeline
        /// has stopped reading and retries what it holds.
        public var journalFailing = false
        /// Failed journal commit attempts since start.
        public var journalCommitFailures = 0
        /// Messages received (and acknowledged to the broker by libmosquitto) but not yet
        /// committed, held in memory while commits fail.
        public var heldMessages = 0
        /// The last commit error, while commits fail.
        public var journalError: String?
        /// Journal commits by duration: `commitBuckets[i]` counts those of at most
        /// `commitBucketBounds[i]` µs (cumulative, as Prometheus wants), plus count and sum.
        public var commitBuckets = [Int](repeating: 0, count: PipelineStatistics.commitBucketBounds.count)
        public var commitCount = 0
        public var commitMicrosecondsSum = 0
        /// Snapshots of the core's state taken, failed to be taken, and passed over at start
        /// by reason (`missing`, `checksum`, `configuration`, `format`, …); see `Pipeline+Snapshots`.
        public var snapshotsTaken = 0
        public var snapshotFailures = 0
        public var snapshotsUnusable: [String: Int] = [:]
        /// The last snapshot: its journal position, encoded size and time to encode and store.
        public var snapshotPosition: Int64 = 0
        public var lastSnapshotBytes = 0
        public var lastSnapshotMicroseconds = 0

        mutating func recordCommit(microseconds: Int) {
            commitCount += 1
            commitMicrosecondsSum += microseconds
            for (i, bound) in PipelineStatistics.commitBucketBounds.enumerated() where microseconds <= bound {
                commitBuckets[i] += 1
            }
        }

        public var rejectedTotal: Int { rejected.values.reduce(0, +) }
    }

    /// Upper bounds (µs) of the commit-latency histogram's buckets.
    public static let commitBucketBounds = [250, 500, 1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000]

    private let iterations = Atomic<Int>(0)

    public init() {}

    /// Incremented on every pass of the pipeline loop; the watchdog checks it moves.
    public var loopIterations: Int { iterations.load(ordering: .relaxed) }

    func tick() { iterations.wrappingAdd(1, ordering: .relaxed) }

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}

/// What decision records are counted by in `/metrics`.
public struct DecisionKey: Sendable, Hashable, Comparable {
    public var site: SiteID
    public var zone: ZoneID?
    public var verdict: Decision.Verdict

    public init(_ decision: Decision) {
        site = decision.site
        zone = decision.zone
        verdict = decision.verdict
    }

    public static func < (a: DecisionKey, b: DecisionKey) -> Bool {
        (a.site.rawValue, a.zone?.rawValue ?? "", a.verdict.rawValue) < (b.site.rawValue, b.zone?.rawValue ?? "", b.verdict.rawValue)
    }
}
