import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import Synchronization

/// Notices the broker link going down and coming back (after it had been up), and reports the
/// gap, so the events Frigate published meanwhile (QoS 0, not queued for us) can be fetched.
final class BrokerGap: Sendable {
    private let clock: any WatchClock
    private let state = Mutex<State>(State())

    private struct State {
        var everSubscribed = false
        var lostAt: Timestamp?
        var handler: (@Sendable (Timestamp, Timestamp) -> Void)?
    }

    init(clock: any WatchClock) {
        self.clock = clock
    }

    /// Where gaps go; set once the backfill exists.
    func onGap(_ handler: @escaping @Sendable (_ from: Timestamp, _ until: Timestamp) -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// Called from the MQTT network thread; never blocks.
    func update(_ connection: MQTTConnectionState) {
        let now = clock.now()
        let gap = state.withLock { s -> (Timestamp, Timestamp, @Sendable (Timestamp, Timestamp) -> Void)? in
            switch connection {
            case .disconnected:
                if s.everSubscribed, s.lostAt == nil { s.lostAt = now }
                return nil
            case .subscribed:
                s.everSubscribed = true
                guard let lost = s.lostAt, let now, let handler = s.handler else { return nil }
                s.lostAt = nil
                return (lost, now, handler)
            case .connecting, .connected, .stopped:
                return nil
            }
        }
        if let (from, until, handler) = gap { handler(from, until) }
    }
}
