import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchHA
import PropertyWatchMQTT
import Synchronization

/// The edge of the leadership state machine: its own broker connection (with the lease
/// release as last will), a thread that feeds it received records and the clock, and the
/// gate it opens and closes. The same connection watches the active's outputs (for the
/// standby's gate) and carries operator commands to the pipeline.
public final class LeadershipLink: @unchecked Sendable {
    // Safe: the machine and peer table are in Mutexes; the thread flag is an atomic.

    public let node: String
    public let topics: HATopics
    public let gate: StandbyGate
    private let client: MQTTClient
    private let machine: Mutex<LeadershipStateMachine>
    private let logger: Logger
    private let submit: @Sendable (OperatorInput) -> Void
    private let stopping = Atomic<Bool>(false)
    private let finished = NSCondition()
    private var running = false
    private let peers = Mutex<[String: Peer]>([:])
    private let seen = Mutex(SeenCommands())
    private let commandCount = Atomic<Int>(0)
    private var lastPresence: Int64 = 0

    struct Peer {
        var role: String
        var term: UInt64
        var heardAt: Int64
    }

    /// - Parameters:
    ///   - broker: the daemon's broker settings; the client id and will are replaced here.
    ///   - submit: where operator commands from the broker go (`Pipeline.submit`).
    public init(
        node: String, group: String, settings: LeadershipSettings, broker: MQTTConfiguration, gate: StandbyGate,
        logger: Logger, submit: @escaping @Sendable (OperatorInput) -> Void
    ) throws(MQTTError) {
        self.node = node
        self.topics = HATopics(group: group)
        self.gate = gate
        self.logger = logger
        self.submit = submit
        self.machine = Mutex(LeadershipStateMachine(node: node, settings: settings))
        var configuration = broker
        configuration.clientID = "\(broker.clientID)-ha"
        configuration.cleanSession = false
        configuration.subscriptions = [topics.leader, topics.commands, topics.nodes] + HATopics.outputs
        configuration.will = .init(topic: topics.leader, payload: LeaseRecord.released(node: node).encoded(), qos: 1, retain: true)
        configuration.onConnect = nil
        configuration.batchCount = 4
        configuration.batchMessages = 1024
        configuration.reconnectMinSeconds = min(configuration.reconnectMinSeconds, 0.5)
        configuration.reconnectMaxSeconds = min(configuration.reconnectMaxSeconds, Double(settings.renewMilliseconds) / 1000)
        // The broker must notice a dead link within the silence, not the daemon's keepalive.
        configuration.keepaliveSeconds = max(5, min(configuration.keepaliveSeconds, Int32(settings.silenceMilliseconds / 1000)))
        let box = StateBox()
        self.client = try MQTTClient(configuration: configuration, logger: Logger(label: "propertywatchd.ha.mqtt")) { state in
            box.link?.connectionChanged(state)
        }
        box.link = self
    }

    /// The monotonic clock the lease runs on (ms).
    static func now() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
    static func wallNow() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: running

    public func start() {
        finished.lock()
        running = true
        finished.unlock()
        client.start()
        let thread = Thread { [self] in
            loop()
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
        }
        thread.name = "ha-leadership"
        thread.start()
    }

    /// Releases the lease (a standby takes over at once) and disconnects; the caller has
    /// drained the pipeline first, so everything it committed as active is out.
    public func stop() {
        perform(machine.withLock { $0.release(now: Self.now()) })
        stopping.store(true, ordering: .releasing)
        finished.lock()
        while running { finished.wait() }
        finished.unlock()
        client.shutdown()
    }

    private func loop() {
        let tick = max(20, machine.withLock { $0.settings.renewMilliseconds } / 10)
        while !stopping.load(ordering: .acquiring) {
            if let batch = client.inbox.next(until: Date(timeIntervalSinceNow: Double(tick) / 1000)) {
                for i in 0..<batch.count {
                    let topic = batch.topic(at: i)
                    let payload = batch.withPayload(at: i) { Array($0) }
                    route(topic: topic, payload: payload)
                }
                client.inbox.recycle(batch)
            }
            let now = Self.now()
            perform(machine.withLock { $0.tick(now: now) })
            presence(now: now)
        }
    }

    private func route(topic: String, payload: [UInt8]) {
        if topic == topics.leader {
            let now = Self.now()
            perform(machine.withLock { $0.received(LeaseRecord.decode(payload), now: now) })
        } else if topic == topics.commands {
            guard let command = HACommand.decode(payload) else {
                logger.warning("ha.command.unreadable", metadata: ["mqtt.topic": "\(topic)", "payload.bytes": "\(payload.count)"])
                return
            }
            guard seen.withLock({ $0.insert(command.id) }) else { return }
            commandCount.wrappingAdd(1, ordering: .relaxed)
            submit(command.input)
        } else if topic.hasPrefix("\(Topic.root)/ha/\(topics.group)/nodes/") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
                  let name = object["node"] as? String, name != node else { return }
            let peer = Peer(role: object["role"] as? String ?? "?", term: (object["term"] as? NSNumber)?.uint64Value ?? 0, heardAt: Self.now())
            peers.withLock { $0[name] = peer }
        } else {
            gate.observe(topic: topic, payload: payload)
        }
    }

    private func connectionChanged(_ state: MQTTConnectionState) {
        let now = Self.now()
        switch state {
        case .subscribed:
            perform(machine.withLock { $0.connected(now: now) })
        case .disconnected, .stopped:
            perform(machine.withLock { $0.disconnected(now: now) })
        case .connecting, .connected:
            break
        }
    }

    private func perform(_ actions: [LeadershipStateMachine.Action]) {
        gate.leaseValid(until: machine.withLock { $0.leaseExpiresAt })
        for action in actions {
            switch action {
            case .publish(var record):
                if !record.released {
                    let wall = Self.wallNow()
                    record.renewedAt = wall
                    record.expiresAt = wall + machine.withLock { $0.settings.silenceMilliseconds }
                }
                client.publish(topic: topics.leader, payload: record.encoded(), qos: 1, retain: true)
            case .becomeActive(let term):
                let published = gate.activate()
                logger.notice("ha.active", metadata: [
                    "ha.node": "\(node)", "ha.term": "\(term)", "ha.published.at.takeover": "\(published)",
                    "ha.time.ms": "\(Self.wallNow())",
                ])
            case .becomeStandby(let reason):
                gate.fence()
                logger.warning("ha.fenced", metadata: ["ha.node": "\(node)", "ha.reason": "\(reason)"])
            }
        }
    }

    private func presence(now: Int64) {
        let (role, term, renew) = machine.withLock { ($0.role, $0.term, $0.settings.renewMilliseconds) }
        guard now - lastPresence >= renew else { return }
        lastPresence = now
        let body = #"{"node":"\#(node)","role":"\#(role.rawValue)","term":\#(term),"time":\#(Self.wallNow())}"#
        client.publish(topic: topics.node(node), payload: Array(body.utf8), qos: 0, retain: false)
    }

    // MARK: status

    /// Publishes an operator command to both daemons (this one included, through the broker).
    public func publishCommand(_ input: OperatorInput) {
        client.publish(topic: topics.commands, payload: HACommand(input: input).encoded(), qos: 1, retain: false)
    }

    public var status: HAStatus {
        let now = Self.now()
        let m = machine.withLock { $0 }
        let peer = peers.withLock { $0.max { $0.value.heardAt < $1.value.heardAt } }
        var expires: Double?
        if let at = m.leaseExpiresAt ?? m.takeoverDueAt { expires = Double(at - now) / 1000 }
        let counters = gate.counters
        return HAStatus(
            node: node, group: topics.group, role: m.role.rawValue, term: m.term,
            leader: m.role == .active ? node : m.leader?.node, leaseExpiresSeconds: expires,
            silenceSeconds: Double(m.settings.silenceMilliseconds) / 1000,
            peer: peer?.key, peerRole: peer?.value.role, peerAgeSeconds: peer.map { Double(now - $0.value.heardAt) / 1000 },
            brokerConnected: m.isConnected, takeovers: m.takeovers, held: gate.heldCount, matched: counters.matched,
            publishedAtTakeover: counters.publishedAtTakeover, commands: commandCount.load(ordering: .relaxed))
    }
}

/// Lets the connection callback reach the link created after the client.
private final class StateBox: @unchecked Sendable {
    // Safe: set once, before the client is started.
    weak var link: LeadershipLink?
}
