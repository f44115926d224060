import PropertyWatchMQTT
import Synchronization

/// Tracks whether the daemon is ready (journal recovered, subscriptions acknowledged) and
/// lets services wait for it.
final class Readiness: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var subscribed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var connection: MQTTConnectionState = .connecting
    }

    /// Called from the MQTT network thread.
    func update(_ connection: MQTTConnectionState) {
        let resumed = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.connection = connection
            guard connection == .subscribed, !s.subscribed else { return [] }
            s.subscribed = true
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for waiter in resumed { waiter.resume() }
    }

    var connection: MQTTConnectionState { state.withLock { $0.connection } }

    /// Returns once subscriptions have been acknowledged for the first time.
    func waitUntilSubscribed() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.subscribed { return true }
                s.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
