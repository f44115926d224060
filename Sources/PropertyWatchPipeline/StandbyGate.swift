import DequeModule
import Foundation
import PropertyWatchHA
import PropertyWatchMQTT
import Synchronization

/// The pipeline's publisher in an active/standby pair: only the active's actions reach the
/// broker.
///
/// While standby, outbox rows handed over by the pipeline are held instead of published.
/// What the active publishes is observed (`observe`) and matched by `OutputIdentity`: a held
/// row the active has published is reported as confirmed, so the pipeline marks it sent as
/// if this daemon had. On `activate()` the rest, what the old active never got out, is
/// published, with the same request ids. `fence()` stops publishing at once; rows still
/// queued in the client are taken back (what libmosquitto already has in flight is sent
/// once the connection returns, and deduplicated by receivers by request id).
///
/// Publishes without a confirmation token (device acknowledgements, clock acknowledgements)
/// are the active's alone; a standby drops them, keeping the latest few to send at a takeover.
public final class StandbyGate: OutboundPublisher, @unchecked Sendable {
    // Safe: all mutable state is in the Mutex.

    /// One message the gate holds back.
    struct Held {
        var topic: String
        var payload: [UInt8]
        var qos: Int32
        var retain: Bool
        var token: Int64
        var identity: String
    }

    struct State {
        var active = false
        /// Until when (monotonic ms) the lease allows publishing: a daemon that was paused
        /// (a hung host, SIGSTOP) holds its actions once it wakes, before its leadership
        /// thread has even noticed that it lost the lease.
        var leaseUntil: Int64 = .max
        var held: Deque<Held> = []
        /// Identities the active published that this daemon has not (yet) produced itself,
        /// with how many times, oldest first for the bound.
        var observed: [String: Int] = [:]
        var observedOrder: Deque<String> = []
        var confirmed: [Int64] = []
        var counters = Counters()
        /// The latest acknowledgements dropped as standby, sent at a takeover: the old active
        /// may have died between committing those events and acknowledging them, and an extra
        /// acknowledgement is harmless (it names exact sequence numbers).
        var recentAcknowledgements: Deque<Held> = []
        /// Rows published as active, by identity, until the broker's acknowledgement or the
        /// daemon's own leadership connection seeing them come back (whichever is first).
        /// The echo counts as a confirmation: at a clean shutdown reading stops before the
        /// last acknowledgements arrive, and the echo still does.
        var awaitingEcho: [String: [Int64]] = [:]
        var identityOfToken: [Int64: String] = [:]
    }

    /// What the gate did, for `/metrics`.
    public struct Counters: Sendable, Hashable {
        /// Rows the active's own publish confirmed while this daemon was standby.
        public var matched = 0
        /// Rows published at a takeover because the old active had not published them.
        public var publishedAtTakeover = 0
        /// Rows taken back from the client's queue when fenced.
        public var withdrawn = 0
        /// Unconfirmed publishes (acknowledgements) dropped while standby.
        public var dropped = 0
    }

    private let client: MQTTClient
    private let state = Mutex(State())
    private let echoSignal = NSCondition()
    /// The most observed identities remembered; older ones are forgotten.
    private let observedLimit: Int

    /// The most dropped acknowledgements kept for a takeover.
    private let acknowledgementLimit: Int

    public init(client: MQTTClient, observedLimit: Int = 200_000, acknowledgementLimit: Int = 4096) {
        self.client = client
        self.observedLimit = observedLimit
        self.acknowledgementLimit = acknowledgementLimit
    }

    public var isActive: Bool { state.withLock { $0.active } }
    public var counters: Counters { state.withLock { $0.counters } }
    /// Rows held back (standby), waiting for the active's publish or a takeover.
    public var heldCount: Int { state.withLock { $0.held.count } }

    // MARK: OutboundPublisher

    public func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?) {
        state.withLock { s in
            if s.active, LeadershipLink.now() <= s.leaseUntil {
                client.publish(topic: topic, payload: payload, qos: qos, retain: retain, confirmationToken: confirmationToken)
                if let token = confirmationToken { Self.awaitEcho(token, OutputIdentity.of(topic: topic, payload: payload), in: &s) }
                return
            }
            guard let token = confirmationToken else {
                s.counters.dropped += 1
                s.recentAcknowledgements.append(Held(topic: topic, payload: payload, qos: qos, retain: retain, token: 0, identity: ""))
                if s.recentAcknowledgements.count > acknowledgementLimit { s.recentAcknowledgements.removeFirst() }
                return
            }
            let identity = OutputIdentity.of(topic: topic, payload: payload)
            if let count = s.observed[identity] {
                s.observed[identity] = count > 1 ? count - 1 : nil
                s.confirmed.append(token)
                s.counters.matched += 1
                return
            }
            s.held.append(Held(topic: topic, payload: payload, qos: qos, retain: retain, token: token, identity: identity))
        }
    }

    public func takeConfirmations() -> [Int64] {
        let fromBroker = client.takeConfirmations()
        let local = state.withLock { s -> [Int64] in
            defer { s.confirmed.removeAll(keepingCapacity: true) }
            for token in fromBroker { Self.echoed(token, in: &s) }
            return s.confirmed
        }
        return local.isEmpty ? fromBroker : fromBroker + local
    }

    /// At shutdown, after the last publishes: waits (at most `timeoutMilliseconds`) until every
    /// row published as active is confirmed by the broker or seen again on the leadership
    /// connection, then returns the confirmations.
    public func finalConfirmations(timeoutMilliseconds: Int) -> [Int64] {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMilliseconds) / 1000)
        var all: [Int64] = []
        while true {
            all += takeConfirmations()
            let waiting = state.withLock { !$0.awaitingEcho.isEmpty }
            guard waiting, Date() < deadline else { return all }
            echoSignal.lock()
            _ = echoSignal.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.05)))
            echoSignal.unlock()
        }
    }

    private static func awaitEcho(_ token: Int64, _ identity: String, in s: inout State) {
        s.awaitingEcho[identity, default: []].append(token)
        s.identityOfToken[token] = identity
    }

    /// `token` is confirmed (by the broker, or by its echo): it no longer awaits an echo.
    private static func echoed(_ token: Int64, in s: inout State) {
        guard let identity = s.identityOfToken.removeValue(forKey: token), var tokens = s.awaitingEcho[identity] else { return }
        tokens.removeAll { $0 == token }
        s.awaitingEcho[identity] = tokens.isEmpty ? nil : tokens
    }

    /// Held rows count as queued, so the pipeline's outbox window also bounds what a standby holds.
    public var queuedReliable: Int { client.queuedReliable + state.withLock { $0.held.count } }

    // MARK: leadership

    /// A publish by the active on an output topic, seen by this daemon.
    public func observe(topic: String, payload: [UInt8]) {
        let identity = OutputIdentity.of(topic: topic, payload: payload)
        state.withLock { s in
            if s.active {
                // Our own publish came back: as good as the broker's acknowledgement.
                if let token = s.awaitingEcho[identity]?.first {
                    Self.echoed(token, in: &s)
                    s.confirmed.append(token)
                }
                return
            }
            if let index = s.held.firstIndex(where: { $0.identity == identity }) {
                s.confirmed.append(s.held.remove(at: index).token)
                s.counters.matched += 1
                return
            }
            s.observed[identity, default: 0] += 1
            s.observedOrder.append(identity)
            while s.observedOrder.count > observedLimit {
                let oldest = s.observedOrder.removeFirst()
                if let count = s.observed[oldest] { s.observed[oldest] = count > 1 ? count - 1 : nil }
            }
        }
        echoSignal.lock()
        echoSignal.broadcast()
        echoSignal.unlock()
    }

    /// Sets until when (monotonic ms, `LeadershipLink.now()`) the current lease allows publishing.
    public func leaseValid(until: Int64?) {
        state.withLock { $0.leaseUntil = until ?? .max }
    }

    /// Becomes the publisher: everything held is published, in order. Returns how many.
    @discardableResult
    public func activate() -> Int {
        state.withLock { s in
            guard !s.active else { return 0 }
            s.active = true
            let count = s.held.count
            for a in s.recentAcknowledgements {
                client.publish(topic: a.topic, payload: a.payload, qos: a.qos, retain: a.retain, confirmationToken: nil)
            }
            s.recentAcknowledgements.removeAll()
            for h in s.held {
                client.publish(topic: h.topic, payload: h.payload, qos: h.qos, retain: h.retain, confirmationToken: h.token)
                Self.awaitEcho(h.token, h.identity, in: &s)
            }
            s.held.removeAll()
            s.observed.removeAll()
            s.observedOrder.removeAll()
            s.counters.publishedAtTakeover += count
            return count
        }
    }

    /// Stops publishing at once; rows not yet handed to libmosquitto are held again.
    public func fence() {
        state.withLock { s in
            guard s.active else { return }
            s.active = false
            let withdrawn = client.withdrawQueuedReliable()
            var back: Deque<Held> = []
            for m in withdrawn {
                guard let token = m.token else { continue }
                back.append(Held(
                    topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, token: token,
                    identity: OutputIdentity.of(topic: m.topic, payload: m.payload)))
            }
            s.counters.withdrawn += back.count
            for h in back { Self.echoed(h.token, in: &s) }
            s.held = back + s.held
        }
    }
}
