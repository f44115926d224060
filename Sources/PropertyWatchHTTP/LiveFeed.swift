import Synchronization

/// Tells live subscribers (`/api/events`) that the journal has changed. The pipeline calls
/// `signal()` after each commit; each subscriber then reads what is new from the journal
/// itself, so nothing is copied across threads and a slow client only skips wake-ups.
public final class LiveFeed: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
        var next = 0
        var closed = false
    }

    public init() {}

    /// Wakes every subscriber. Never blocks (each holds at most one pending wake-up).
    public func signal() {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield() }
    }

    /// A stream of wake-ups; it ends when `close()` is called.
    public func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { s in
            guard !s.closed else { return nil }
            s.next += 1
            s.subscribers[s.next] = continuation
            return s.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// The number of live subscribers.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every stream (on shutdown, so open event streams do not hold the server up).
    public func close() {
        let subscribers = state.withLock { s -> [AsyncStream<Void>.Continuation] in
            s.closed = true
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
