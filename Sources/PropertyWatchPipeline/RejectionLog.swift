import Logging
import PropertyWatchCore

/// Logs refused inputs without flooding the log: the first of each reason at once, then at
/// most one line per reason per interval carrying how many were suppressed.
struct RejectionLog {
    private var lastLogged: [RejectionReason: Int64] = [:]
    private var suppressed: [RejectionReason: Int] = [:]
    let intervalMilliseconds: Int64

    init(intervalMilliseconds: Int64 = 10_000) {
        self.intervalMilliseconds = intervalMilliseconds
    }

    mutating func record(_ rejection: Rejection, topic: String, now: Int64, logger: Logger) {
        if let last = lastLogged[rejection.reason], now - last < intervalMilliseconds {
            suppressed[rejection.reason, default: 0] += 1
            return
        }
        let count = suppressed.removeValue(forKey: rejection.reason) ?? 0
        lastLogged[rejection.reason] = now
        logger.warning("input.rejected", metadata: [
            "rejection.reason": "\(rejection.reason.rawValue)",
            "rejection.detail": "\(rejection.detail)",
            "mqtt.topic": "\(topic.prefix(200))",
            "rejection.suppressed": "\(count)",
        ])
    }
}
