import DequeModule

/// The publishing side of `MQTTClient` as a state machine, with no `mosquitto_*` calls: the
/// queues of publishes waiting to go out, the QoS 1 in-flight window, which caller wants to
/// hear of which broker acknowledgement, and the drop policy.
///
/// - QoS 1 publishes wait in `reliable` until the in-flight window has room; they are never
///   dropped.
/// - QoS 0 publishes are not held back by the window (a broker slow to PUBACK must not delay
///   device acknowledgements), and are bounded: past `maxQueuedBestEffort` the oldest one is
///   dropped, which QoS 0 allows.
/// - MQTT message ids are 16-bit and wrap (libmosquitto counts 1…65535, then 1 again), so
///   more publishes than that in flight or awaiting confirmation share ids. The broker
///   acknowledges publishes in the order they were sent, so each id keeps its tokens in send
///   order and an acknowledgement confirms the oldest.
///
/// The client feeds it (`enqueue`, `takeSendable`, `sent`, `requeue`, `acknowledged`) and
/// carries out what it returns. It is tested without a broker (`PublishWindowTests`).
public struct PublishWindow: Sendable {
    /// One publish, as handed to the client.
    public struct Message: Sendable, Equatable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int32
        public var retain: Bool
        /// Reported back once the broker has the message (PUBACK at QoS 1; handed to the
        /// socket at QoS 0).
        public var token: Int64?

        public init(topic: String, payload: [UInt8], qos: Int32, retain: Bool, token: Int64? = nil) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.token = token
        }
    }

    /// What `enqueue` did.
    public enum Enqueued: Sendable, Equatable {
        case queued
        /// The oldest QoS 0 publish was dropped to make room; `total` since start.
        case droppedOldest(total: Int)
    }

    /// The QoS 1 publishes libmosquitto may hold unacknowledged at once.
    public let maxInflight: Int
    /// The QoS 0 publishes that may wait before the oldest is dropped.
    public let maxQueuedBestEffort: Int

    private var reliable: Deque<Message> = []
    private var bestEffort: Deque<Message> = []
    /// QoS 1 publishes handed to libmosquitto and not yet acknowledged, by message id.
    private var inflightByID: [Int32: Int] = [:]
    /// Tokens awaiting an acknowledgement, by message id, in send order.
    private var awaiting: [Int32: Deque<Int64>] = [:]

    /// QoS 0 publishes dropped since start.
    public private(set) var dropped = 0
    /// QoS 1 publishes handed to libmosquitto and not yet acknowledged.
    public private(set) var inflight = 0

    public init(maxInflight: Int, maxQueuedBestEffort: Int) {
        self.maxInflight = maxInflight
        self.maxQueuedBestEffort = maxQueuedBestEffort
    }

    /// QoS 1 publishes waiting for room in the window.
    public var queuedReliable: Int { reliable.count }
    /// QoS 0 publishes waiting to be sent.
    public var queuedBestEffort: Int { bestEffort.count }

    /// Queues a publish.
    public mutating func enqueue(_ message: Message) -> Enqueued {
        guard message.qos == 0 else {
            reliable.append(message)
            return .queued
        }
        bestEffort.append(message)
        guard bestEffort.count > maxQueuedBestEffort else { return .queued }
        bestEffort.removeFirst()
        dropped += 1
        return .droppedOldest(total: dropped)
    }

    /// What may be handed to libmosquitto now, in order: every waiting QoS 0 publish, then
    /// the QoS 1 publishes the window has room for. They leave the queues; report each with
    /// `sent`, or give them back with `requeue`.
    public mutating func takeSendable() -> [Message] {
        let room = max(maxInflight - inflight, 0)
        guard room > 0 || !bestEffort.isEmpty else { return [] }
        var taken = Array(bestEffort)
        bestEffort.removeAll(keepingCapacity: true)
        let count = min(room, reliable.count)
        taken.append(contentsOf: reliable.prefix(count))
        reliable.removeFirst(count)
        return taken
    }

    /// libmosquitto accepted `message` under message id `id`. Returns a token to confirm at
    /// once (a QoS 0 publish has no acknowledgement to wait for).
    public mutating func sent(_ message: Message, id: Int32) -> Int64? {
        if message.qos > 0 {
            inflightByID[id, default: 0] += 1
            inflight += 1
        }
        guard let token = message.token else { return nil }
        if message.qos == 0 { return token }
        awaiting[id, default: []].append(token)
        return nil
    }

    /// The connection went while `messages` (taken, in order) were being handed over: they go
    /// back to the front of their queues in their original order, to be sent after the
    /// reconnect. A publish libmosquitto refuses for another reason (a payload over the
    /// broker's limit, say) is not requeued; the caller logs why.
    public mutating func requeue<C: BidirectionalCollection<Message>>(_ messages: C) {
        for message in messages.reversed() {
            if message.qos == 0 { bestEffort.prepend(message) } else { reliable.prepend(message) }
        }
    }

    /// Takes back every QoS 1 publish still waiting for the window, in order (what has been
    /// handed to libmosquitto stays with it). A fenced standby must not publish them.
    public mutating func withdrawReliable() -> [Message] {
        defer { reliable.removeAll() }
        return Array(reliable)
    }

    /// The broker acknowledged message id `id` (libmosquitto's publish callback). Frees a
    /// place in the window; returns the token of the oldest publish under that id, if its
    /// sender wanted to know. An id nothing is waiting for (a QoS 0 publish) changes nothing.
    ///
    /// libmosquitto reports a QoS 0 publish (when written) and a QoS 1 acknowledgement through
    /// the same callback, and both kinds share the id counter, so a QoS 0 publish whose id
    /// equals that of an unacknowledged QoS 1 publish would be taken for its PUBACK. That needs
    /// 65,535 publishes within one round trip to the broker; the window accepts the risk
    /// rather than guess which of the two the callback meant.
    public mutating func acknowledged(id: Int32) -> Int64? {
        if let count = inflightByID[id] {
            inflightByID[id] = count > 1 ? count - 1 : nil
            inflight -= 1
        }
        guard var tokens = awaiting[id], let token = tokens.popFirst() else { return nil }
        awaiting[id] = tokens.isEmpty ? nil : tokens
        return token
    }
}
