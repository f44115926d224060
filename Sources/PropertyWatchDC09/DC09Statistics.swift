/// The gateway's metrics: frames by reply and reason, ACK latency, the last message per
/// account and accounts in supervision fault, rendered as Prometheus text.
public struct DC09Statistics: Sendable {
    /// Upper bounds of the ACK latency histogram, in seconds.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public private(set) var frames: [DC09Reply.Kind: Int] = [:]
    public private(set) var reasons: [String: Int] = [:]
    public private(set) var latencyCounts: [Int]
    public private(set) var latencySum: Double = 0
    public private(set) var latencyCount = 0
    /// Account → epoch ms of its last frame that was ACKed.
    public private(set) var lastMessage: [String: Int64] = [:]
    /// Account → supervision interval in seconds.
    public let supervision: [String: Int]
    public private(set) var connectionsRefused = 0

    public init(supervision: [String: Int]) {
        self.supervision = supervision
        self.latencyCounts = Array(repeating: 0, count: Self.latencyBuckets.count)
    }

    public mutating func record(_ outcome: DC09Outcome, now: Int64) {
        frames[outcome.reply, default: 0] += 1
        if let reason = outcome.reason { reasons[reason, default: 0] += 1 }
        if outcome.reply == .ack {
            if let account = outcome.account { lastMessage[account] = now }
            if let ms = outcome.latencyMilliseconds {
                let seconds = Double(ms) / 1000
                latencySum += seconds
                latencyCount += 1
                for (i, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { latencyCounts[i] += 1 }
            }
        }
    }

    public mutating func refusedConnection() { connectionsRefused += 1 }

    /// Accounts with a supervision interval whose last ACKed frame is older than it (or that
    /// have sent nothing since `start`).
    public func faults(now: Int64, start: Int64) -> [String] {
        supervision.compactMap { account, seconds in
            let last = lastMessage[account] ?? start
            return now - last > Int64(seconds) * 1000 ? account : nil
        }.sorted()
    }

    /// Prometheus text exposition.
    public func prometheus(now: Int64, start: Int64) -> String {
        var out = "# TYPE pw_dc09_frames_total counter\n"
        for kind in DC09Reply.Kind.allCases { out += "pw_dc09_frames_total{reply=\"\(kind.rawValue)\"} \(frames[kind] ?? 0)\n" }
        out += "# TYPE pw_dc09_refusals_total counter\n"
        for (reason, n) in reasons.sorted(by: { $0.key < $1.key }) { out += "pw_dc09_refusals_total{reason=\"\(reason)\"} \(n)\n" }
        out += "# TYPE pw_dc09_connections_refused_total counter\npw_dc09_connections_refused_total \(connectionsRefused)\n"
        out += "# TYPE pw_dc09_ack_latency_seconds histogram\n"
        for (i, bound) in Self.latencyBuckets.enumerated() { out += "pw_dc09_ack_latency_seconds_bucket{le=\"\(bound)\"} \(latencyCounts[i])\n" }
        out += "pw_dc09_ack_latency_seconds_bucket{le=\"+Inf\"} \(latencyCount)\n"
        out += "pw_dc09_ack_latency_seconds_sum \(latencySum)\npw_dc09_ack_latency_seconds_count \(latencyCount)\n"
        out += "# TYPE pw_dc09_last_message_timestamp_seconds gauge\n"
        for (account, t) in lastMessage.sorted(by: { $0.key < $1.key }) {
            out += "pw_dc09_last_message_timestamp_seconds{account=\"\(account)\"} \(Double(t) / 1000)\n"
        }
        let faults = Set(faults(now: now, start: start))
        out += "# TYPE pw_dc09_supervision_fault gauge\n"
        for account in supervision.keys.sorted() { out += "pw_dc09_supervision_fault{account=\"\(account)\"} \(faults.contains(account) ? 1 : 0)\n" }
        out += "# TYPE pw_dc09_accounts_in_supervision_fault gauge\npw_dc09_accounts_in_supervision_fault \(faults.count)\n"
        return out
    }
}
