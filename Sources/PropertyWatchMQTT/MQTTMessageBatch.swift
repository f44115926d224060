/// Inbound messages copied out of libmosquitto's callback into one reusable buffer.
///
/// A batch is filled by the network thread, handed to the consumer through `MQTTInbox`,
/// and returned with `MQTTInbox.recycle(_:)`; its storage is kept, so steady-state
/// receiving allocates nothing per message.
public final class MQTTMessageBatch: @unchecked Sendable {
    // Safe: a batch is owned by exactly one thread at a time (network thread while
    // filling, consumer after hand-off); `MQTTInbox` transfers it under its lock.

    public struct Entry: Sendable {
        var topicOffset: Int32
        var topicLength: Int32
        var payloadOffset: Int32
        var payloadLength: Int32
        public var qos: UInt8
        public var retain: Bool
    }

    private(set) var bytes: [UInt8] = []
    public private(set) var entries: [Entry] = []
    let messageCapacity: Int
    let byteCapacity: Int

    init(messageCapacity: Int, byteCapacity: Int) {
        self.messageCapacity = messageCapacity
        self.byteCapacity = byteCapacity
        bytes.reserveCapacity(byteCapacity)
        entries.reserveCapacity(messageCapacity)
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    var isFull: Bool { entries.count >= messageCapacity || bytes.count >= byteCapacity }

    /// Copies one message in. Always succeeds; a batch may overshoot `byteCapacity` by one message.
    func append(topic: UnsafePointer<CChar>, payload: UnsafeRawPointer?, length: Int, qos: Int32, retain: Bool) {
        let topicStart = bytes.count
        var p = topic
        while p.pointee != 0 {
            bytes.append(UInt8(bitPattern: p.pointee))
            p += 1
        }
        let payloadStart = bytes.count
        if let payload, length > 0 {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: payload, count: length))
        }
        entries.append(Entry(
            topicOffset: Int32(topicStart), topicLength: Int32(payloadStart - topicStart),
            payloadOffset: Int32(payloadStart), payloadLength: Int32(length),
            qos: UInt8(truncatingIfNeeded: qos), retain: retain))
    }

    /// Copies one message in as the network thread would, for feeding a consumer without a
    /// broker (tests that must choose how messages are batched).
    public func append(topic: String, payload: [UInt8], qos: Int32 = 1) {
        topic.withCString { t in
            payload.withUnsafeBytes { p in
                append(topic: t, payload: p.baseAddress, length: p.count, qos: qos, retain: false)
            }
        }
    }

    func reset() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// The topic of message `index`.
    public func topic(at index: Int) -> String {
        let e = entries[index]
        return bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[Int(e.topicOffset)..<Int(e.topicOffset + e.topicLength)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the payload bytes of message `index`, valid only inside `body`.
    public func withPayload<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let e = entries[index]
        return try bytes.withUnsafeBytes { b in
            try body(UnsafeRawBufferPointer(rebasing: b[Int(e.payloadOffset)..<Int(e.payloadOffset + e.payloadLength)]))
        }
    }

    /// Calls `body` with the topic bytes of message `index`, valid only inside `body`.
    public func withTopicBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let e = entries[index]
        return try bytes.withUnsafeBytes { b in
            try body(UnsafeRawBufferPointer(rebasing: b[Int(e.topicOffset)..<Int(e.topicOffset + e.topicLength)]))
        }
    }
}
