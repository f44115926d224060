import Foundation
import Logging
import PropertyWatchMQTT

/// A plain MQTT client for tests: subscribes to filters and hands back messages in order,
/// blocking (with a deadline that only bounds failure) until they arrive.
public final class TestSubscriber: @unchecked Sendable {
    // Safe: used by one test at a time; the client is thread-safe.
    public let client: MQTTClient
    private var pending: [(topic: String, payload: String)] = []
    private let subscribed = NSCondition()
    private var isSubscribed = false

    public init(port: Int32, filters: [String], clientID: String = TestEnvironment.uniqueName("sub"), cleanSession: Bool = true) throws {
        var configuration = MQTTConfiguration(port: port, clientID: clientID, cleanSession: cleanSession, subscriptions: filters)
        configuration.reconnectMinSeconds = 0.1
        configuration.reconnectMaxSeconds = 0.5
        let condition = subscribed
        let box = SubscribedFlag()
        client = try MQTTClient(configuration: configuration, logger: Logger(label: "test.subscriber")) { state in
            if state == .subscribed {
                condition.lock()
                box.value = true
                condition.broadcast()
                condition.unlock()
            }
        }
        client.start()
        condition.lock()
        let deadline = Date(timeIntervalSinceNow: 10)
        while !box.value {
            if !condition.wait(until: deadline) { break }
        }
        let ok = box.value
        condition.unlock()
        if !ok { throw TestFailure("test subscriber did not subscribe") }
    }

    deinit { client.shutdown() }

    /// The next message, or nil if none arrives within `timeout` seconds.
    public func next(timeout: Double = 10) -> (topic: String, payload: String)? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while pending.isEmpty {
            guard let batch = client.inbox.next(until: deadline) else { return nil }
            for i in 0..<batch.count {
                let payload = batch.withPayload(at: i) { String(decoding: $0, as: UTF8.self) }
                pending.append((batch.topic(at: i), payload))
            }
            client.inbox.recycle(batch)
        }
        return pending.removeFirst()
    }

    /// The next message whose topic satisfies `predicate`, skipping others.
    public func next(timeout: Double = 10, where predicate: (String) -> Bool) -> (topic: String, payload: String)? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, let message = next(timeout: remaining) else { return nil }
            if predicate(message.topic) { return message }
        }
    }

    /// Every message that arrives within `window` seconds (used only to assert that nothing
    /// more arrives; the window bounds the check, it does not order anything).
    public func drain(window: Double) -> [(topic: String, payload: String)] {
        var all: [(topic: String, payload: String)] = []
        while let message = next(timeout: window) { all.append(message) }
        return all
    }
}

private final class SubscribedFlag: @unchecked Sendable {
    var value = false
}

/// Publishes with a plain client and waits for the broker's PUBACK.
public final class TestPublisher: @unchecked Sendable {
    public let client: MQTTClient
    private var nextToken: Int64 = 1

    public init(port: Int32, clientID: String = TestEnvironment.uniqueName("pub")) throws {
        client = try MQTTClient(
            configuration: MQTTConfiguration(port: port, clientID: clientID, cleanSession: true),
            logger: Logger(label: "test.publisher"))
        client.start()
    }

    deinit { client.shutdown() }

    /// Publishes at QoS 1 and returns once the broker has acknowledged it.
    @discardableResult
    public func publish(_ topic: String, _ payload: String, retain: Bool = false, timeout: Double = 10) -> Bool {
        let token = nextToken
        nextToken += 1
        client.publish(topic: topic, payload: Array(payload.utf8), qos: 1, retain: retain, confirmationToken: token)
        let deadline = Date(timeIntervalSinceNow: timeout)
        var confirmed: Set<Int64> = []
        while !confirmed.contains(token) {
            guard Date() < deadline else { return false }
            confirmed.formUnion(client.waitForConfirmations(until: deadline))
        }
        return true
    }
}
