import Foundation
import PropertyWatchMQTT

/// Collects an `MQTTClient`'s state changes so a test can wait for one.
public final class ConnectionWaiter: @unchecked Sendable {
    // Safe: all state is guarded by `condition`.
    private let condition = NSCondition()
    private var states: [MQTTConnectionState] = []

    public init() {}

    /// Pass this as the client's `onStateChange`.
    public var handler: @Sendable (MQTTConnectionState) -> Void {
        { [self] state in
            condition.lock()
            states.append(state)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits until `state` has been reported `count` times in all; false on time-out.
    public func wait(for state: MQTTConnectionState, count: Int = 1, timeout: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while states.filter({ $0 == state }).count < count {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Waits for any disconnection report; false on time-out.
    public func waitForDisconnect(timeout: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !states.contains(where: { if case .disconnected = $0 { true } else { false } }) {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}
