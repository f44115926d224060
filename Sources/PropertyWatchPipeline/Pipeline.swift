import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import Synchronization

/// The hot path: batches from the inbox are decoded, journaled in one transaction with the
/// actions they cause, correlated, and only then acted on (published).
///
/// Runs on its own thread (`start()`, see `Pipeline+Thread`); `recover()` must run first to
/// rebuild the correlation state from the journal and re-send actions that were committed but
/// never confirmed (`Pipeline+Recovery`). What is handed to the publisher is decided by the
/// `OutboxWindow`, inputs from outside the broker wait in an `OperatorInputQueue`, retention
/// is the `JournalPruner`'s, and a journal refusing commits is an outage (`Pipeline+Outage`).
public final class Pipeline: @unchecked Sendable {
    // Safe: everything mutable below is touched only by the pipeline thread once started
    // (and before that by the caller of `recover()`); cross-thread state is atomic or locked.

    public let statistics = PipelineStatistics()
    public let journal: Journal
    let inbox: MQTTInbox
    let publisher: any OutboundPublisher
    let clock: any WatchClock
    let decoder: MessageDecoder
    let directory: SiteDirectory
    var watch: Watch
    let logger: Logger
    var rejectionLog = RejectionLog()
    /// Operator inputs and external inputs waiting for the next commit.
    let inputs = OperatorInputQueue()
    /// What is handed to the publisher and what waits in the journal; confirmations to record.
    var outbox: OutboxWindow
    /// Retention and stale incidents.
    var pruner: JournalPruner
    let stopRequested = Atomic<Bool>(false)
    let escalationHandler = Mutex<(@Sendable (CentralEscalation) -> Void)?>(nil)
    let commitObserver = Mutex<(@Sendable () -> Void)?>(nil)
    let fetchHandler = Mutex<(@Sendable (_ from: Timestamp, _ until: Timestamp) -> Void)?>(nil)
    /// Fetches of missed video the core asked for in the commit under way; handed out after it.
    private var fetches: [(Timestamp, Timestamp)] = []
    /// Guards `running`: whether the pipeline thread runs.
    let finished = NSCondition()
    var running = false
    /// Why the thread stopped by itself (`PipelineError`), who is told, and whether it ended.
    let termination = Mutex<(error: PipelineError?, handler: (@Sendable (PipelineError) -> Void)?, ended: Bool)>((nil, nil, false))
    /// Longest the loop waits for input before letting time pass in the core.
    let idleTickMilliseconds: Int
    /// Set when the clock is virtual: clock messages move it.
    private let virtualClock: VirtualClock?
    /// Whether this run's start has been journaled (and the core told).
    private var started = false
    /// Actions of a start, committed with it and published with the rest of that commit.
    private var pendingPublish: [(Int64, OutboxMessage)] = []
    /// Set while the journal refuses commits; nothing new is read until one succeeds.
    public internal(set) var outage: JournalOutage?
    /// The batch whose commit failed, kept (not recycled) until it is committed.
    var held: MQTTMessageBatch?
    /// Whether the core's state may be ahead of the journal (a commit failed after the core
    /// was told): it is rebuilt from the journal before the next attempt.
    var needsRebuild = false
    /// When snapshots of the core's state are taken (see `Pipeline+Snapshots`).
    let snapshotPolicy: SnapshotPolicy
    /// The fingerprint of the configuration, stored with each snapshot.
    let configurationFingerprint: String
    /// The id of the last journaled input the core reflects (after each commit and replay).
    var lastInputRow: Int64 = 0
    /// The journal position of the last snapshot taken or restored (0: none).
    var snapshotRow: Int64 = 0
    /// When the last snapshot was taken (pipeline clock).
    var lastSnapshotAt: Int64?
    /// Guards `snapshotStoring`: whether a periodic snapshot is being encoded and stored on
    /// its own thread.
    let snapshotUnderWay = NSCondition()
    var snapshotStoring = false

    /// The journal topic of the synthetic input that marks a daemon start.
    static let startedTopic = "\(Topic.root)/daemon/started"

    public init(
        configuration: WatchConfiguration, journal: Journal, inbox: MQTTInbox,
        publisher: any OutboundPublisher, clock: any WatchClock, logger: Logger,
        idleTickMilliseconds: Int = 250, retention: JournalRetention = JournalRetention(), outboxWindow: Int = 4096,
        snapshots: SnapshotPolicy = SnapshotPolicy()
    ) {
        self.snapshotPolicy = snapshots
        self.configurationFingerprint = ConfigurationFingerprint.of(configuration)
        self.outbox = OutboxWindow(size: outboxWindow)
        self.pruner = JournalPruner(retention: retention)
        self.directory = SiteDirectory(configuration)
        self.decoder = MessageDecoder(directory: directory, limits: configuration.decoding)
        self.watch = Watch(directory: directory)
        self.journal = journal
        self.inbox = inbox
        self.publisher = publisher
        self.clock = clock
        self.virtualClock = clock as? VirtualClock
        self.logger = logger
        self.idleTickMilliseconds = idleTickMilliseconds
    }

    /// Journaled inputs since the last snapshot taken or restored, from the journal's row ids.
    var eventsSinceSnapshot: Int { Int(max(0, lastInputRow - snapshotRow)) }

    /// Journals the start of this run as an input and tells the core, so supervision counts
    /// from here both now and when the journal is replayed.
    func markStart(at now: Timestamp, in tx: JournalTransaction) throws {
        guard !started else { return }
        started = true
        let payload = Array("{\"v\":1,\"time\":\(now.millisecondsSinceEpoch)}".utf8)
        try Self.startedTopic.utf8CString.withUnsafeBytes { topic in
            try payload.withUnsafeBytes { p in
                try tx.insertEvent(
                    receivedAt: now.millisecondsSinceEpoch, topic: UnsafeRawBufferPointer(rebasing: topic.dropLast()),
                    payload: p, site: nil, device: nil, sequence: nil)
            }
        }
        let actions = watch.resume(at: now)
        pendingPublish.append(contentsOf: try enqueue(actions, in: tx, now: now))
    }

    /// One journal transaction. If it fails, everything the pipeline changed for it outside
    /// the core is undone (start marker, pending publishes, taken inputs) and the core is
    /// marked for rebuilding, since it may already have been told what is not durable. If it
    /// succeeds, `lastInputRow` is the journal's last input.
    func commit<T>(_ body: (JournalTransaction) throws -> T) throws -> T {
        let wasStarted = started
        let pendingCount = pendingPublish.count
        let fetchCount = fetches.count
        do {
            let (result, last) = try journal.commit { tx in (try body(tx), try tx.lastEventID()) }
            lastInputRow = last
            inputs.committed()
            pruner.committed()
            return result
        } catch {
            pruner.commitFailed()
            started = wasStarted
            pendingPublish.removeSubrange(pendingCount...)
            fetches.removeSubrange(fetchCount...)
            inputs.requeue()
            needsRebuild = true
            throw error
        }
    }

    // MARK: the loop

    /// Processes at most one batch (waiting up to `waitMilliseconds` for one) and lets time
    /// pass in the core. Returns whether a batch was committed.
    ///
    /// A failed commit never throws out of here: the batch is held, nothing is acknowledged,
    /// no further batch is read (so the broker queues), and the commit is retried with
    /// back-off until the journal takes it (see `JournalOutage`). A `PipelineError` ends the
    /// pipeline instead (`terminate`): no step does anything after it.
    @discardableResult
    public func step(waitMilliseconds: Int) -> Bool {
        statistics.tick()
        guard !isTerminated else { return false }
        if outage != nil { return retry(waitMilliseconds: waitMilliseconds) }
        let deadline = Date(timeIntervalSinceNow: Double(waitMilliseconds) / 1000)
        let batch = inbox.next(until: deadline)
        outbox.confirm(publisher.takeConfirmations())
        do {
            try refillOutbox()
            if let batch {
                try process(batch)
                inbox.recycle(batch)
                snapshotIfDue()
                return true
            }
            try idle()
            snapshotIfDue()
        } catch let error as PipelineError {
            terminate(error, holding: batch)
        } catch {
            failed(error, holding: batch)
        }
        return false
    }

    func process(_ batch: MQTTMessageBatch) throws {
        var now = clock.now()
        var toPublish: [(Int64, OutboxMessage)] = []
        var acknowledgements: [DeviceKey: [UInt64]] = [:]
        var clockAcknowledgement: Timestamp?
        var counts = (accepted: 0, ignored: 0, guardRequests: 0)
        var rejected: [RejectionReason] = []
        let started = DispatchTime.now().uptimeNanoseconds

        var markedConfirmed = false
        try commit { tx in
            // What the core asked for, each with the time of the inputs that caused it: a
            // virtual clock can move within one batch, and an action must carry its own time,
            // not the batch's, for the outputs not to depend on how the inputs were batched.
            var produced: [(Timestamp, [WatchAction])] = []
            // Decoded messages go to the core as one batch, handed over before anything else
            // the core is told (a clock step, a start, operator input), so the order is kept.
            var decoded: [(InboundMessage, Timestamp)] = []
            decoded.reserveCapacity(batch.count)
            func handOver() {
                guard let time = decoded.last?.1 else { return }
                produced.append((time, watch.handle(batch: decoded)))
                decoded.removeAll(keepingCapacity: true)
            }
            if let time = now { try markStart(at: time, in: tx) }
            for index in 0..<batch.count {
                try batch.withTopicBytes(at: index) { topicBytes in
                    try batch.withPayload(at: index) { payload in
                        if let virtualClock, topicBytes.elementsEqual(Topic.simulatedClock.utf8) {
                            guard let time = SimulatedClockMessage.time(in: payload) else {
                                rejected.append(.invalidField)
                                return
                            }
                            handOver()
                            virtualClock.advance(to: time)
                            now = virtualClock.now()
                            try markStart(at: time, in: tx)
                            produced.append((time, watch.tick(now: time)))
                            clockAcknowledgement = time
                            return
                        }
                        guard let time = now else {
                            // Virtual clock not set yet: nothing can be timed; refuse rather than guess.
                            let rejection = Rejection(.invalidField, "virtual clock not started")
                            try tx.insertDeadLetter(receivedAt: 0, topic: topicBytes, payload: payload, rejection: rejection)
                            rejected.append(rejection.reason)
                            return
                        }
                        switch decoder.decode(topicBytes: topicBytes, payload: payload, receivedAt: time) {
                        case .message(let message):
                            let keys = JournalKeys(message)
                            try tx.insertEvent(
                                receivedAt: time.millisecondsSinceEpoch, topic: topicBytes, payload: payload,
                                site: keys.site, device: keys.device, sequence: keys.sequence)
                            if case .alarm(let event) = message,
                               directory.device(event.device, at: event.site, slot: event.slot)?.wantsAcknowledgement ?? false {
                                acknowledgements[DeviceKey(site: event.site, device: event.device), default: []].append(event.sequence)
                            }
                            counts.accepted += 1
                            decoded.append((message, time))
                        case .ignored:
                            counts.ignored += 1
                        case .rejected(let rejection):
                            try tx.insertDeadLetter(
                                receivedAt: time.millisecondsSinceEpoch, topic: topicBytes, payload: payload, rejection: rejection)
                            rejectionLog.record(
                                rejection, topic: String(decoding: topicBytes, as: UTF8.self), now: time.millisecondsSinceEpoch,
                                logger: logger)
                            rejected.append(rejection.reason)
                        }
                    }
                }
            }
            handOver()
            if let time = now {
                var actions: [WatchAction] = []
                try applySubmitted(now: time, in: tx, into: &actions)
                actions.append(contentsOf: watch.tick(now: time))
                produced.append((time, actions))
                for (at, actions) in produced { toPublish += try enqueue(actions, in: tx, now: at) }
                counts.guardRequests = toPublish.count { $0.1.kind == .guardRequest }
                if !outbox.confirmed.isEmpty {
                    try tx.markSent(outbox.confirmed, at: time.millisecondsSinceEpoch)
                    markedConfirmed = true
                }
            }
        }
        if markedConfirmed, let time = now { outbox.marked(at: time.millisecondsSinceEpoch) }
        let commitMicros = Int((DispatchTime.now().uptimeNanoseconds - started) / 1000)

        publish(toPublish)
        let ackTime = now ?? Timestamp(millisecondsSinceEpoch: 0)
        for (device, sequences) in acknowledgements {
            publisher.publish(
                topic: Topic.acknowledgement(site: device.site, device: device.device),
                payload: MessageEncoder.acknowledgement(site: device.site, device: device.device, sequences: sequences, time: ackTime),
                // QoS 0: an acknowledgement that is lost only means a retransmission, which is
                // acknowledged again. QoS 1 would also make libmosquitto read as many packets
                // per call as it has QoS 1 messages queued, overrunning the receive batches.
                qos: 0, retain: false, confirmationToken: nil)
        }
        if let time = clockAcknowledgement {
            publisher.publish(
                topic: Topic.simulatedClockAcknowledgement, payload: SimulatedClockMessage.encode(time),
                qos: 1, retain: false, confirmationToken: nil)
        }
        statistics.update { s in
            s.batches += 1
            s.received += batch.count
            s.accepted += counts.accepted
            s.ignored += counts.ignored
            for reason in rejected { s.rejected[reason, default: 0] += 1 }
            s.published += toPublish.count + acknowledgements.count
            s.guardRequests += counts.guardRequests
            s.lastCommitMicroseconds = commitMicros
            s.recordCommit(microseconds: commitMicros)
        }
    }

    /// Hands committed rows to the publisher, unless the outbox window says they wait in the
    /// journal for `refillOutbox`. Escalations to the central go to the webhook sender at once.
    func publish(_ rows: [(Int64, OutboxMessage)]) {
        let handler = escalationHandler.withLock { $0 }
        if !fetches.isEmpty {
            let fetch = fetchHandler.withLock { $0 }
            for (from, until) in fetches {
                logger.notice("frigate.backfill.requested", metadata: ["backfill.from": "\(from.millisecondsSinceEpoch)", "backfill.until": "\(until.millisecondsSinceEpoch)"])
                fetch?(from, until)
            }
            fetches.removeAll()
        }
        let rows = pendingPublish + rows
        pendingPublish.removeAll()
        let handOver: Bool
        switch outbox.publish(queued: publisher.queuedReliable) {
        case .handOver:
            handOver = true
        case .leaveInJournal(let fellBehind):
            handOver = false
            if fellBehind {
                statistics.update { $0.outboxDeferrals += 1 }
                logger.warning("outbox.deferred", metadata: ["outbox.window": "\(outbox.size)"])
            }
        }
        for (id, message) in rows {
            if handOver {
                publisher.publish(topic: message.topic, payload: message.payload, qos: 1, retain: message.kind.retained, confirmationToken: id)
            }
            if message.kind == .central, let handler, let escalation = message.centralEscalation {
                handler(escalation)
            }
        }
        if handOver, let last = rows.last { outbox.handed(through: last.0) }
        commitObserver.withLock { $0 }?()
    }

    /// While rows wait in the journal, hands them over in id order as the outbox window asks.
    func refillOutbox() throws {
        guard let refill = outbox.refill(queued: publisher.queuedReliable) else { return }
        let rows = try journal.pendingOutbox(after: refill.after, limit: refill.limit)
        for entry in rows {
            let retained = OutboxMessage.Kind(rawValue: entry.kind)?.retained ?? false
            publisher.publish(topic: entry.topic, payload: entry.payload, qos: 1, retain: retained, confirmationToken: entry.id)
        }
        if outbox.refilled(refill, count: rows.count, lastID: rows.last?.id) {
            logger.notice("outbox.caught.up", metadata: ["outbox.last.id": "\(outbox.handedThrough)"])
        }
    }

    /// No input arrived: let timers fire, record confirmations now and then, and prune.
    func idle() throws {
        guard let now = clock.now() else { return }
        let nowMs = now.millisecondsSinceEpoch
        if try pruner.pruneIfDue(now: nowMs, journal: journal, inputs: inputs, logger: logger) {
            // Retention may have removed the last inputs (nothing new for a whole period).
            lastInputRow = min(lastInputRow, try journal.lastEventID())
        }
        // A virtual clock moves only with clock messages, which tick the core themselves.
        var actions = virtualClock == nil && started ? watch.tick(now: now) : []
        guard !actions.isEmpty || outbox.markDue(now: nowMs) || !started || inputs.hasWaiting else { return }
        let confirmed = outbox.confirmed
        let toPublish = try commit { tx in
            try markStart(at: now, in: tx)
            try applySubmitted(now: now, in: tx, into: &actions)
            let rows = try enqueue(actions, in: tx, now: now)
            try tx.markSent(confirmed, at: nowMs)
            return rows
        }
        outbox.marked(at: nowMs)
        publish(toPublish)
        statistics.update { $0.published += toPublish.count }
    }

    /// Writes actions to the outbox; returns those that are new (not re-derived duplicates).
    /// The same warning twice among `actions` (one millisecond) is told apart by its order, so
    /// neither is lost; other kinds keep their keys (an on-call contact is told once).
    func enqueue(_ actions: [WatchAction], in tx: JournalTransaction, now: Timestamp) throws -> [(Int64, OutboxMessage)] {
        var fresh: [(Int64, OutboxMessage)] = []
        var seen: [String: Int] = [:]
        for action in actions {
            if case .decision(let decision) = action {
                try tx.record(decision)
                statistics.update { $0.decisions[DecisionKey(decision), default: 0] += 1 }
                continue
            }
            if case .fetchMissedVideo(let from, let until) = action {
                fetches.append((from, until))
                continue
            }
            guard var message = OutboxMessage(action, now: now) else { continue }
            if message.kind == .warning {
                let repeats = seen[message.key, default: 0]
                seen[message.key] = repeats + 1
                if repeats > 0 { message.key += "#\(repeats + 1)" }
            }
            guard let id = try tx.insertOutbox(
                key: message.key, kind: message.kind.rawValue, topic: message.topic, payload: message.payload,
                createdAt: now.millisecondsSinceEpoch)
            else { continue }
            if case .transition(let transition) = action { try tx.record(transition) }
            if case .requestGuard(let request) = action {
                logger.notice("guard.requested", metadata: [
                    "incident.id": "\(request.incident)", "site.id": "\(request.site)",
                    "unit.id": "\(request.unit)", "incident.priority": "\(request.priority.name)",
                ])
            }
            fresh.append((id, message))
        }
        return fresh
    }
}

/// A device at a site, as a dictionary key.
struct DeviceKey: Hashable {
    var site: SiteID
    var device: DeviceID
}
