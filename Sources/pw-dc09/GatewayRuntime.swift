import Foundation
import Logging
import PropertyWatchDC09
import PropertyWatchMQTT
import Synchronization

/// What every connection handler shares: the gateway's rules, the MQTT client, metrics,
/// limits and the routing of end-to-end acknowledgements back to waiting connections.
final class GatewayRuntime: Sendable {
    let gateway: DC09Gateway
    let client: MQTTClient
    let logger: Logger
    let start: Int64
    let statistics: Mutex<DC09Statistics>
    private let rate: Mutex<DC09RateLimiter>
    private let connections = Mutex<[String: Int]>([:])
    private let listeners = Mutex<[ObjectIdentifier: @Sendable (DC09Acknowledgement) -> Void]>([:])
    private let logged = Mutex<[String: Int64]>([:])
    let broker: BrokerFlag
    /// Publishes queued for the broker past which frames are not read (memory stays bounded).
    static let maxQueuedPublishes = 10_000

    /// Whether frames are judged by the scenario runner's time (`--virtual-clock`)…
    let isVirtual: Bool
    /// …which is this, `Int64.min` until its first message.
    let virtualTime = Atomic<Int64>(Int64.min)

    init(gateway: DC09Gateway, client: MQTTClient, broker: BrokerFlag, logger: Logger, virtualClock: Bool = false) {
        self.isVirtual = virtualClock
        self.gateway = gateway
        self.broker = broker
        self.client = client
        self.logger = logger
        self.start = Self.now()
        var supervision: [String: Int] = [:]
        for a in gateway.settings.accounts { if let s = a.supervisionSeconds { supervision[a.account] = s } }
        self.statistics = Mutex(DC09Statistics(supervision: supervision))
        self.rate = Mutex(DC09RateLimiter(rate: gateway.settings.framesPerSecondPerSource, burst: gateway.settings.burstPerSource))
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func padding() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8(truncatingIfNeeded: g.next() % 94 + 33) }
    }

    /// The time frames are judged by: the virtual clock when there is one, else nil (now).
    func frameClock() -> Int64? {
        guard isVirtual else { return nil }
        let t = virtualTime.load(ordering: .acquiring)
        return t == Int64.min ? nil : t
    }

    /// Nil when a frame from `source` may be read now, else why not.
    func admit(source: String, now: Int64) -> String? {
        if isVirtual, frameClock() == nil { return "clock-unset" }
        guard broker.up.load(ordering: .relaxed), client.queuedReliable < Self.maxQueuedPublishes else { return "broker-unavailable" }
        return rate.withLock { $0.admit(source, now: now) } ? nil : "rate-limited"
    }

    /// Counts a connection from `source`; false (and nothing counted) when over a limit.
    func open(source: String) -> Bool {
        let s = gateway.settings
        let ok = connections.withLock { c -> Bool in
            let total = c.values.reduce(0, +)
            guard total < s.maxConnections, c[source, default: 0] < s.maxConnectionsPerSource else { return false }
            c[source, default: 0] += 1
            return true
        }
        if !ok {
            statistics.withLock { $0.refusedConnection() }
            log("dc09.connection.refused", reason: "connection-limit", ["source": "\(source)"])
        }
        return ok
    }

    func close(source: String) {
        connections.withLock { c in
            c[source, default: 1] -= 1
            if c[source] == 0 { c[source] = nil }
        }
    }

    func listen(_ id: ObjectIdentifier, _ body: @escaping @Sendable (DC09Acknowledgement) -> Void) {
        listeners.withLock { $0[id] = body }
    }

    func unlisten(_ id: ObjectIdentifier) {
        _ = listeners.withLock { $0.removeValue(forKey: id) }
    }

    func deliver(_ ack: DC09Acknowledgement) {
        for body in listeners.withLock({ Array($0.values) }) { body(ack) }
    }

    /// Publishes, records and logs what a session asked for; returns the bytes to send.
    func perform(_ actions: [DC09Session.Action], source: String, now: Int64) -> [[UInt8]] {
        var replies: [[UInt8]] = []
        for action in actions {
            switch action {
            case .send(let bytes): replies.append(bytes)
            case .publish(let topic, let payload): client.publish(topic: topic, payload: payload, qos: 1)
            case .outcome(let o):
                statistics.withLock { $0.record(o, now: now) }
                if o.reply == .ack {
                    logger.debug("dc09.frame.acked", metadata: [
                        "dc09.account": "\(o.account ?? "-")", "dc09.latency.ms": "\(o.latencyMilliseconds ?? 0)", "source": "\(source)",
                    ])
                } else if let reason = o.reason {
                    log("dc09.frame.refused", reason: reason, [
                        "dc09.reply": "\(o.reply.rawValue)", "dc09.account": "\(o.account ?? "-")",
                        "dc09.detail": "\(o.detail ?? "")", "source": "\(source)",
                    ])
                }
            }
        }
        return replies
    }

    /// Logs at most once per reason every 10 s; the counters have every occurrence.
    func log(_ message: Logger.Message, reason: String, _ metadata: Logger.Metadata) {
        let now = Self.now()
        let due = logged.withLock { l -> Bool in
            guard now - (l[reason] ?? .min / 2) >= 10_000 else { return false }
            l[reason] = now
            return true
        }
        guard due else { return }
        var m = metadata
        m["dc09.reason"] = "\(reason)"
        logger.warning(message, metadata: m)
    }
}

/// Whether the broker link is up (every subscription acknowledged), set by the MQTT thread.
final class BrokerFlag: Sendable {
    let up = Atomic<Bool>(false)
}

extension GatewayRuntime {
    /// Moves the virtual clock to `time` (never back).
    func advanceClock(to time: Int64) {
        var expected = virtualTime.load(ordering: .relaxed)
        while expected < time {
            let (done, actual) = virtualTime.compareExchange(expected: expected, desired: time, ordering: .acquiringAndReleasing)
            if done { return }
            expected = actual
        }
    }
}
