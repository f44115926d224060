import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import SimulatorKit

/// The simulators' one connection to the broker: publishes their messages at QoS 1 (in order,
/// on one client) and hands back what the daemon publishes.
final class MQTTLink: @unchecked Sendable {
    // Safe: used from one thread; the client itself is thread-safe.
    let client: MQTTClient
    private var pending: [(topic: String, payload: [UInt8])] = []
    private var nextToken: Int64 = 0
    private var confirmedCount: Int64 = 0

    init(host: String, port: Int32, clientID: String, subscriptions: [String] = DaemonOutput.subscriptions) throws {
        let subscribed = SubscriptionFlag()
        var configuration = MQTTConfiguration(host: host, port: port, clientID: clientID, cleanSession: true, subscriptions: subscriptions)
        configuration.reconnectMinSeconds = 0.1
        configuration.reconnectMaxSeconds = 1
        var logger = Logger(label: "pw-sim.mqtt")
        logger.logLevel = .warning
        client = try MQTTClient(configuration: configuration, logger: logger) { state in
            if state == .subscribed || (subscriptions.isEmpty && state == .connected) { subscribed.set() }
        }
        client.start()
        guard subscribed.wait(seconds: 15) else {
            client.shutdown()
            throw SimulatorFailure("cannot connect to the broker at \(host):\(port)")
        }
    }

    deinit { client.shutdown() }

    func publish(_ message: SimMessage) {
        client.publish(topic: message.topic, payload: message.payload, qos: 1, retain: false)
    }

    func publish(_ messages: [SimMessage]) {
        for m in messages { publish(m) }
    }

    /// Publishes and asks for a confirmation when the broker has the message (PUBACK); see
    /// `awaitConfirmations`.
    func publishConfirmed(_ messages: [SimMessage]) {
        for m in messages {
            nextToken += 1
            client.publish(topic: m.topic, payload: m.payload, qos: 1, retain: false, confirmationToken: nextToken)
        }
    }

    /// Waits until at most `outstanding` confirmed publishes are unacknowledged by the broker;
    /// returns false if `deadline` passes first.
    func awaitConfirmations(leaving outstanding: Int = 0, until deadline: Date) -> Bool {
        while nextToken - confirmedCount > outstanding {
            guard Date() < deadline else { return false }
            confirmedCount += Int64(client.waitForConfirmations(until: deadline).count)
        }
        return true
    }

    func publishClock(_ time: Timestamp) {
        client.publish(topic: Topic.simulatedClock, payload: Array("{\"v\":1,\"time\":\(time.millisecondsSinceEpoch)}".utf8), qos: 1, retain: false)
    }

    /// The next message received, waiting at most until `deadline`.
    func next(until deadline: Date) -> (topic: String, payload: [UInt8])? {
        while pending.isEmpty {
            guard let batch = client.inbox.next(until: deadline) else { return nil }
            // Retained messages (incident updates, the daemon's status) are earlier runs' state.
            for i in 0..<batch.count where !batch.entries[i].retain {
                pending.append((batch.topic(at: i), batch.withPayload(at: i) { Array($0) }))
            }
            client.inbox.recycle(batch)
        }
        return pending.removeFirst()
    }

    /// Everything the daemon published until `deadline`, decoded.
    func outputs(until deadline: Date, _ body: (DaemonOutput) -> Void) {
        while let m = next(until: deadline) {
            if let output = DaemonOutput(topic: m.topic, payload: m.payload) { body(output) }
        }
    }

    /// Reads until a clock acknowledgement for `time` (or later) arrives, handing every other
    /// output to `body`. Throws when none comes within `timeout` seconds (a failure bound only).
    func awaitClock(_ time: Timestamp, timeout: Double = 30, _ body: (DaemonOutput) -> Void) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            guard let m = next(until: deadline) else {
                throw SimulatorFailure("no clock acknowledgement for \(time.millisecondsSinceEpoch) within \(Int(timeout)) s: is propertywatchd running with --virtual-clock?")
            }
            guard let output = DaemonOutput(topic: m.topic, payload: m.payload) else { continue }
            if case .clockAcknowledgement(let t) = output {
                if t >= time { return }
                continue
            }
            body(output)
        }
    }
}

private final class SubscriptionFlag: @unchecked Sendable {
    // Safe: guarded by `condition`.
    private let condition = NSCondition()
    private var value = false

    func set() {
        condition.lock()
        value = true
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !value { if !condition.wait(until: deadline) { return value } }
        return true
    }
}

/// A simulator run that cannot go on, with a message for the operator.
struct SimulatorFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
