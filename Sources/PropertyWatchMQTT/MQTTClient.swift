import CMosquitto
import DequeModule
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An MQTT client over libmosquitto that owns one network thread.
///
/// Everything that touches the `mosquitto` pointer runs on that thread: connecting with
/// back-off, subscribing on every connect, reading with `poll` plus repeated
/// `mosquitto_loop_read`, writing, keepalive, and publishing (other threads enqueue and wake
/// it). Inbound messages are copied once into batches of `inbox`.
public final class MQTTClient: @unchecked Sendable {
    // Safe: `mosq` and the `NetworkThreadState` are touched only on the network thread (and in
    // init/deinit, before it starts and after it has ended): libmosquitto is not thread-safe
    // for one handle without its own threaded loop, which is not used. Other threads reach
    // the thread only through `Mutex`es (`window`, `control`) and the `wake` pipe.

    public let configuration: MQTTConfiguration
    /// Where received messages arrive, in batches.
    public let inbox: MQTTInbox
    private let logger: Logger
    /// The libmosquitto client (see `MosquittoHandle` on why sharing it is safe).
    private let handle: MosquittoHandle
    private var mosq: OpaquePointer { handle.pointer }
    private let wake: WakeSignal
    /// Queues, in-flight window and confirmations (`PublishWindow`): enqueued from any
    /// thread, everything else on the network thread.
    private let window: Mutex<PublishWindow>
    private let control = Mutex<Control>(Control())
    private let finished = NSCondition()
    private var threadDone = false
    private var net = NetworkThreadState()
    private let received = Atomic<Int>(0)
    private let published = Atomic<Int>(0)
    private let confirmationLock = NSCondition()
    private var confirmed: [Int64] = []
    private let stateHandler: (@Sendable (MQTTConnectionState) -> Void)?

    private struct Control {
        var stopping = false
        var started = false
        var pauseRequested = false
        var paused = false
    }

    private struct NetworkThreadState {
        var everConnected = false
        var socketOpen = false
        var pendingSubscriptions: Set<Int32> = []
        var current: MQTTMessageBatch?
        var backoff: Double = 0
        var lastFailure: String?
        /// Since when reading is suspended because every receive batch is taken.
        var backpressureSince: DispatchTime?
    }



    /// Creates the client; nothing is sent until `start()`.
    /// - Parameter onStateChange: called on the network thread; keep it short.
    public init(
        configuration: MQTTConfiguration, logger: Logger,
        onStateChange: (@Sendable (MQTTConnectionState) -> Void)? = nil
    ) throws(MQTTError) {
        MQTTLibrary.initialize()
        self.configuration = configuration
        self.logger = logger
        self.stateHandler = onStateChange
        self.window = Mutex(PublishWindow(
            maxInflight: configuration.maxInflight, maxQueuedBestEffort: configuration.maxQueuedBestEffort))
        self.inbox = try MQTTInbox(
            batchCount: configuration.batchCount, messages: configuration.batchMessages,
            bytes: configuration.batchBytes)
        self.wake = try WakeSignal()
        self.handle = try MosquittoHandle(clientID: configuration.clientID, cleanSession: configuration.cleanSession)
        try configure()
        mosquitto_user_data_set(handle.pointer, Unmanaged.passUnretained(self).toOpaque())
    }

    private func configure() throws(MQTTError) {
        let c = configuration
        try MQTTError.check(mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311)), "protocol version")
        try MQTTError.check(mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1), "TCP_NODELAY")
        try MQTTError.check(mosquitto_int_option(mosq, MOSQ_OPT_SEND_MAXIMUM, Int32(c.maxInflight)), "send maximum")
        if let username = c.username {
            try MQTTError.check(mosquitto_username_pw_set(mosq, username, c.password), "credentials")
        }
        if let tls = c.tls {
            try MQTTError.check(mosquitto_tls_set(mosq, tls.caFile, nil, tls.certFile, tls.keyFile, nil), "TLS")
        }
        if let will = c.will {
            let rc = will.payload.withUnsafeBytes { p in
                mosquitto_will_set(mosq, will.topic, Int32(p.count), p.baseAddress, will.qos, will.retain)
            }
            try MQTTError.check(rc, "last will")
        }
        mosquitto_connect_callback_set(mosq) { _, obj, rc in
            MQTTClient.from(obj).didConnect(rc: rc)
        }
        mosquitto_disconnect_callback_set(mosq) { _, obj, rc in
            MQTTClient.from(obj).didDisconnect(rc: rc)
        }
        mosquitto_subscribe_callback_set(mosq) { _, obj, mid, count, granted in
            MQTTClient.from(obj).didSubscribe(mid: mid, count: count, granted: granted)
        }
        mosquitto_publish_callback_set(mosq) { _, obj, mid in
            MQTTClient.from(obj).didPublish(mid: mid)
        }
        mosquitto_message_callback_set(mosq) { _, obj, message in
            guard let message else { return }
            MQTTClient.from(obj).didReceive(message.pointee)
        }
    }

    private static func from(_ obj: UnsafeMutableRawPointer?) -> MQTTClient {
        Unmanaged<MQTTClient>.fromOpaque(obj!).takeUnretainedValue()
    }

    // MARK: public API

    /// Starts the network thread, which connects and keeps reconnecting until `shutdown()`.
    public func start() {
        let first = control.withLock { c -> Bool in
            defer { c.started = true }
            return !c.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            runNetworkLoop()
            finished.lock()
            threadDone = true
            finished.broadcast()
            finished.unlock()
        }
        thread.name = "mqtt-\(configuration.clientID)"
        thread.start()
    }

    /// Queues a publish; never blocks on the network. Thread-safe.
    /// - Parameter confirmationToken: when set, the token is reported by
    ///   `takeConfirmations()` once the broker has acknowledged the message (PUBACK at QoS 1).
    public func publish(topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = false, confirmationToken: Int64? = nil) {
        let message = PublishWindow.Message(topic: topic, payload: payload, qos: qos, retain: retain, token: confirmationToken)
        let enqueued = window.withLock { $0.enqueue(message) }
        if case .droppedOldest(let dropped) = enqueued, dropped == 1 || dropped % 10_000 == 0 {
            logger.warning("mqtt.qos0.dropped", metadata: [
                "mqtt.dropped.total": "\(dropped)", "mqtt.queue.limit": "\(configuration.maxQueuedBestEffort)",
            ])
        }
        wake.signal()
    }

    /// A QoS 1 publish taken back from the queue by `withdrawQueuedReliable()`.
    public typealias QueuedPublish = PublishWindow.Message

    /// Takes back the QoS 1 publishes not yet handed to libmosquitto, in order (a fenced
    /// standby must not publish them when the connection returns). Thread-safe.
    public func withdrawQueuedReliable() -> [QueuedPublish] {
        window.withLock { $0.withdrawReliable() }
    }

    /// Stops reading from the broker (messages queue there, as under backpressure) and hands
    /// over the partly filled batch; returns once the network thread has done so, or after
    /// `timeoutSeconds`. Publishing and keepalive go on. Used to drain before shutting down.
    public func pauseReading(timeoutSeconds: Double = 2) {
        let running = control.withLock { c -> Bool in
            c.pauseRequested = true
            return c.started && !c.stopping
        }
        guard running else { return }
        wake.signal()
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        finished.lock()
        while !control.withLock({ $0.paused }) && !threadDone {
            if !finished.wait(until: deadline) { break }
        }
        finished.unlock()
    }

    /// Tokens of confirmed publishes since the last call.
    public func takeConfirmations() -> [Int64] {
        confirmationLock.lock()
        defer {
            confirmed.removeAll(keepingCapacity: true)
            confirmationLock.unlock()
        }
        return confirmed
    }

    /// Like `takeConfirmations()`, but waits until there is at least one or `deadline` passes.
    public func waitForConfirmations(until deadline: Date) -> [Int64] {
        confirmationLock.lock()
        while confirmed.isEmpty {
            if !confirmationLock.wait(until: deadline) { break }
        }
        defer {
            confirmed.removeAll(keepingCapacity: true)
            confirmationLock.unlock()
        }
        return confirmed
    }

    private func confirm(_ token: Int64) {
        confirmationLock.lock()
        confirmed.append(token)
        confirmationLock.broadcast()
        confirmationLock.unlock()
    }

    /// Publishes the offline status (if configured as the will), disconnects cleanly and
    /// waits for the network thread to end. The inbox is closed afterwards.
    public func shutdown() {
        let started = control.withLock { c -> Bool in
            c.stopping = true
            return c.started
        }
        wake.signal()
        if started {
            finished.lock()
            while !threadDone { finished.wait() }
            finished.unlock()
        }
        inbox.close()
    }

    /// Messages received since start.
    public var receivedCount: Int { received.load(ordering: .relaxed) }
    /// Publishes handed to the library since start.
    public var publishedCount: Int { published.load(ordering: .relaxed) }

    /// QoS 1 publishes handed to `publish` and not yet passed to libmosquitto (they wait for
    /// room in the in-flight window). Callers bound their own output by this.
    public var queuedReliable: Int { window.withLock { $0.queuedReliable } }
    /// QoS 0 publishes dropped because `maxQueuedBestEffort` were already waiting.
    public var droppedBestEffort: Int { window.withLock { $0.dropped } }

    // MARK: callbacks (network thread)

    private func didConnect(rc: Int32) {
        guard rc == 0 else {
            let reason = String(cString: mosquitto_connack_string(rc))
            logger.error("mqtt.connect.refused", metadata: ["mqtt.reason": "\(reason)"])
            net.lastFailure = reason
            return
        }
        logger.info("mqtt.connected", metadata: ["mqtt.host": "\(configuration.host)", "mqtt.port": "\(configuration.port)"])
        net.backoff = 0
        stateHandler?(.connected)
        net.pendingSubscriptions.removeAll()
        for filter in configuration.subscriptions {
            var mid: Int32 = 0
            let result = mosquitto_subscribe(mosq, &mid, filter, 1)
            if result == MOSQ_ERR_SUCCESS.rawValue {
                net.pendingSubscriptions.insert(mid)
            } else {
                logger.error("mqtt.subscribe.failed", metadata: ["mqtt.filter": "\(filter)", "mqtt.error": "\(MQTTError(code: result, operation: "subscribe"))"])
            }
        }
        if let announcement = configuration.onConnect {
            publishNow(PublishWindow.Message(topic: announcement.topic, payload: announcement.payload, qos: announcement.qos, retain: announcement.retain))
        }
        if configuration.subscriptions.isEmpty { stateHandler?(.subscribed) }
    }

    private func didSubscribe(mid: Int32, count: Int32, granted: UnsafePointer<Int32>?) {
        if let granted {
            for i in 0..<Int(count) where granted[i] >= 0x80 {
                logger.error("mqtt.subscribe.rejected", metadata: ["mqtt.mid": "\(mid)"])
            }
        }
        guard net.pendingSubscriptions.remove(mid) != nil, net.pendingSubscriptions.isEmpty else { return }
        logger.info("mqtt.subscribed", metadata: ["mqtt.filters": "\(configuration.subscriptions.count)"])
        stateHandler?(.subscribed)
    }

    private func didPublish(mid: Int32) {
        if let token = window.withLock({ $0.acknowledged(id: mid) }) { confirm(token) }
    }

    private func didDisconnect(rc: Int32) {
        net.socketOpen = false
        let reason = rc == 0 ? "requested" : String(cString: mosquitto_strerror(rc))
        if rc != 0 {
            logger.warning("mqtt.disconnected", metadata: ["mqtt.reason": "\(reason)"])
        }
        stateHandler?(.disconnected(reason: reason))
    }

    private func didReceive(_ message: mosquitto_message) {
        if let full = net.current, full.isFull, let fresh = inbox.takeFree() {
            // One `mosquitto_loop_read` call may deliver several messages: hand over here.
            inbox.publish(full)
            net.current = fresh
        }
        guard let batch = net.current else {
            // Cannot happen: the loop reads only while it holds a batch.
            logger.critical("mqtt.receive.without.batch")
            return
        }
        batch.append(
            topic: message.topic, payload: UnsafeRawPointer(message.payload), length: Int(message.payloadlen),
            qos: message.qos, retain: message.retain)
        received.wrappingAdd(1, ordering: .relaxed)
    }

    // MARK: network loop

    private var isStopping: Bool { control.withLock { $0.stopping } }

    private func runNetworkLoop() {
        stateHandler?(.connecting)
        while !isStopping {
            if !net.socketOpen {
                connectOnce()
                continue
            }
            flushOutbound()
            pollAndService()
        }
        closeGracefully()
        if let current = net.current {
            net.current = nil
            inbox.publish(current)
        }
        stateHandler?(.stopped)
    }

    private func connectOnce() {
        let c = configuration
        let rc = net.everConnected
            ? mosquitto_reconnect(mosq)
            : mosquitto_connect(mosq, c.host, c.port, c.keepaliveSeconds)
        if rc == MOSQ_ERR_SUCCESS.rawValue {
            net.everConnected = true
            net.socketOpen = true
            return
        }
        let error = MQTTError(code: rc, operation: "connect")
        if net.lastFailure != error.message {
            logger.warning("mqtt.connect.failed", metadata: ["mqtt.error": "\(error)", "mqtt.host": "\(c.host)", "mqtt.port": "\(c.port)"])
            net.lastFailure = error.message
        }
        stateHandler?(.disconnected(reason: error.message))
        net.backoff = net.backoff == 0 ? c.reconnectMinSeconds : min(net.backoff * 2, c.reconnectMaxSeconds)
        waitForWake(milliseconds: Int32(net.backoff * 1000))
    }

    private func waitForWake(milliseconds: Int32) {
        var fd = pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, milliseconds)
        wake.drain()
    }

    private func pollAndService() {
        let sock = mosquitto_socket(mosq)
        guard sock >= 0 else {
            net.socketOpen = false
            return
        }
        let pause = control.withLock { $0.pauseRequested }
        if pause {
            if let current = net.current {
                net.current = nil
                inbox.publish(current)
            }
            let announce = control.withLock { c -> Bool in
                defer { c.paused = true }
                return !c.paused
            }
            if announce {
                finished.lock()
                finished.broadcast()
                finished.unlock()
            }
        } else if net.current == nil {
            net.current = inbox.takeFree()
            noteBackpressure(stalled: net.current == nil)
        }
        let reading = !pause && net.current != nil
        var events: Int16 = 0
        if reading { events |= Int16(POLLIN) }
        if mosquitto_want_write(mosq) { events |= Int16(POLLOUT) }
        var fds = [
            pollfd(fd: sock, events: events, revents: 0),
            pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inbox.producerWake.fd, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, 3, 1000)
        if ready > 0 {
            if fds[1].revents != 0 { wake.drain() }
            if fds[2].revents != 0 { inbox.producerWake.drain() }
            let revents = fds[0].revents
            if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, reading {
                readBurst(sock: sock)
            }
            if net.socketOpen, revents & Int16(POLLOUT) != 0 || mosquitto_want_write(mosq) {
                handle(mosquitto_loop_write(mosq, 1), during: "write")
            }
        }
        if net.socketOpen { handle(mosquitto_loop_misc(mosq), during: "keepalive") }
    }

    /// Logs when reading stops because the consumer holds every batch, and when it resumes.
    private func noteBackpressure(stalled: Bool) {
        switch (stalled, net.backpressureSince) {
        case (true, nil):
            net.backpressureSince = .now()
            logger.warning("mqtt.backpressure.started", metadata: ["mqtt.batches": "\(configuration.batchCount)"])
        case (false, let since?):
            net.backpressureSince = nil
            let millis = (DispatchTime.now().uptimeNanoseconds - since.uptimeNanoseconds) / 1_000_000
            logger.notice("mqtt.backpressure.ended", metadata: ["mqtt.paused.ms": "\(millis)"])
        default:
            break
        }
    }

    /// Reads packets while the socket has bytes (or the last read delivered a message, which
    /// covers TLS buffering), then hands the batch over at once for low latency. The message
    /// callback may itself swap `net.current` for a fresh batch, so only `net.current` is used.
    private func readBurst(sock: Int32) {
        var reads = 0
        while net.socketOpen, net.current != nil, reads < 8192 {
            let before = received.load(ordering: .relaxed)
            let rc = mosquitto_loop_read(mosq, 1)
            reads += 1
            guard handle(rc, during: "read") else { break }
            if let current = net.current, current.isFull {
                inbox.publish(current)
                net.current = inbox.takeFree()
            }
            let delivered = received.load(ordering: .relaxed) != before
            if bytesAvailable(sock) == 0 && (!delivered || configuration.tls == nil) { break }
        }
        if let batch = net.current, !batch.isEmpty {
            inbox.publish(batch)
            net.current = nil
        }
    }

    private func bytesAvailable(_ sock: Int32) -> Int32 {
        var count: Int32 = 0
        return ioctl(sock, UInt(FIONREAD), &count) == 0 ? count : 0
    }

    /// Returns whether the connection is still usable.
    @discardableResult
    private func handle(_ rc: Int32, during operation: String) -> Bool {
        if rc == MOSQ_ERR_SUCCESS.rawValue { return true }
        if net.socketOpen {
            logger.warning("mqtt.connection.lost", metadata: ["mqtt.error": "\(MQTTError(code: rc, operation: operation))"])
            stateHandler?(.disconnected(reason: String(cString: mosquitto_strerror(rc))))
        }
        net.socketOpen = false
        return false
    }

    private func flushOutbound() {
        let pending = window.withLock { $0.takeSendable() }
        for i in pending.indices where !publishNow(pending[i]) {
            // The connection is gone: this and the rest go back, in order, for the reconnect.
            window.withLock { $0.requeue(pending[i...]) }
            return
        }
    }

    /// Hands one publish to libmosquitto; returns false when the connection is gone (the
    /// caller requeues it). Any other refusal is logged and the publish dropped.
    @discardableResult
    private func publishNow(_ message: PublishWindow.Message) -> Bool {
        var mid: Int32 = 0
        let rc = message.payload.withUnsafeBytes { p in
            mosquitto_publish(mosq, &mid, message.topic, Int32(p.count), p.baseAddress, message.qos, message.retain)
        }
        if rc == MOSQ_ERR_SUCCESS.rawValue {
            published.wrappingAdd(1, ordering: .relaxed)
            if let token = window.withLock({ $0.sent(message, id: mid) }) { confirm(token) }
            return true
        }
        logger.warning("mqtt.publish.failed", metadata: ["mqtt.topic": "\(message.topic)", "mqtt.error": "\(MQTTError(code: rc, operation: "publish"))"])
        guard rc == MOSQ_ERR_NO_CONN.rawValue || rc == MOSQ_ERR_CONN_LOST.rawValue else { return true }
        net.socketOpen = false
        return false
    }

    private func closeGracefully() {
        guard net.socketOpen else { return }
        flushOutbound()
        if let will = configuration.will {
            publishNow(PublishWindow.Message(topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain))
        }
        mosquitto_disconnect(mosq)
        var attempts = 0
        while mosquitto_want_write(mosq), attempts < 50 {
            var fd = pollfd(fd: mosquitto_socket(mosq), events: Int16(POLLOUT), revents: 0)
            guard fd.fd >= 0, poll(&fd, 1, 20) >= 0 else { break }
            if mosquitto_loop_write(mosq, 1) != MOSQ_ERR_SUCCESS.rawValue { break }
            attempts += 1
        }
        net.socketOpen = false
    }
}
