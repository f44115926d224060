import Foundation

/// The bounded hand-off between the network thread and the consumer.
///
/// A fixed number of batches circulate: free → filling (network thread) → ready → consumer →
/// free. When no batch is free the network thread stops reading from the socket, so the
/// broker queues instead of this process growing (backpressure).
public final class MQTTInbox: @unchecked Sendable {
    // Safe: all mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var ready: [MQTTMessageBatch] = []
    private var free: [MQTTMessageBatch]
    private var closed = false
    private var producerStalled = false
    private var stalls: Int = 0
    /// Woken when a batch is recycled while the producer is stalled.
    let producerWake: WakeSignal

    init(batchCount: Int, messages: Int, bytes: Int) throws(MQTTError) {
        free = (0..<max(2, batchCount)).map { _ in MQTTMessageBatch(messageCapacity: messages, byteCapacity: bytes) }
        producerWake = try WakeSignal()
    }

    /// Creates an inbox for use without a client (tests, replay).
    public static func make(batchCount: Int = 4, messages: Int = 1024, bytes: Int = 1 << 20) throws(MQTTError) -> MQTTInbox {
        try MQTTInbox(batchCount: batchCount, messages: messages, bytes: bytes)
    }

    // MARK: producer side

    /// A free batch to fill, or nil when the consumer holds them all (stop reading).
    public func takeFree() -> MQTTMessageBatch? {
        condition.lock()
        defer { condition.unlock() }
        if let batch = free.popLast() {
            producerStalled = false
            return batch
        }
        if !producerStalled {
            producerStalled = true
            stalls += 1
            condition.broadcast()
        }
        return nil
    }

    /// Hands a filled batch to the consumer. Empty batches go straight back to the pool.
    public func publish(_ batch: MQTTMessageBatch) {
        condition.lock()
        if batch.isEmpty {
            free.append(batch)
        } else {
            ready.append(batch)
            condition.signal()
        }
        condition.unlock()
    }

    // MARK: consumer side

    /// The next filled batch, waiting at most until `deadline`; nil on time-out or close.
    public func next(until deadline: Date) -> MQTTMessageBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Returns a consumed batch to the pool and, if the producer was stalled, wakes it.
    public func recycle(_ batch: MQTTMessageBatch) {
        batch.reset()
        condition.lock()
        free.append(batch)
        let wake = producerStalled
        condition.unlock()
        if wake { producerWake.signal() }
    }

    /// Wakes a waiting consumer for good (shutdown).
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the network thread is currently not reading because every batch is taken.
    public var isStalled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return producerStalled
    }

    /// Waits until the network thread stops reading for lack of a free batch; false on time-out.
    public func waitUntilStalled(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !producerStalled {
            if !condition.wait(until: deadline) { return producerStalled }
        }
        return true
    }

    /// How many times the network thread has stopped reading for lack of a free batch.
    public var stallCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return stalls
    }
}
