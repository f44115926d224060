/// A token bucket per source address: `rate` frames per second, bursts up to `burst`.
/// Sources not seen for a minute are forgotten, so the table stays bounded by recent senders.
public struct DC09RateLimiter: Sendable {
    struct Bucket: Sendable {
        var tokens: Double
        var updated: Int64
    }

    public let rate: Double
    public let burst: Double
    private var buckets: [String: Bucket] = [:]
    private var lastSweep: Int64 = 0
    /// Buckets kept at most; past it, new sources are refused until the sweep.
    public let maxSources: Int

    public init(rate: Double, burst: Int, maxSources: Int = 65_536) {
        self.rate = rate
        self.burst = Double(burst)
        self.maxSources = maxSources
    }

    /// Whether `source` may send one more frame at `now` (ms); takes a token when it may.
    public mutating func admit(_ source: String, now: Int64) -> Bool {
        if now - lastSweep > 60_000 {
            buckets = buckets.filter { now - $0.value.updated < 60_000 }
            lastSweep = now
        }
        var b = buckets[source] ?? Bucket(tokens: burst, updated: now)
        if buckets[source] == nil, buckets.count >= maxSources { return false }
        b.tokens = min(burst, b.tokens + Double(max(0, now - b.updated)) / 1000 * rate)
        b.updated = now
        let admitted = b.tokens >= 1
        if admitted { b.tokens -= 1 }
        buckets[source] = b
        return admitted
    }

    public var sourceCount: Int { buckets.count }
}
