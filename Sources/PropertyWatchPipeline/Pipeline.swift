import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import Synchronization

/// The hot path: batches from the inbox are decoded, journaled in one transaction with the
/// actions they cause, correlated, and only then acted on (published).
///
/// Runs on its own thread (`start()`); `recover()` must run first to rebuild the correlation
/// state from the journal and re-send actions that were committed but never confirmed.
public final class Pipeline: @unchecked Sendable {
    // Safe: everything mutable below is touched only by the pipeline thread once started
    // (and before that by the caller of `recover()`); cross-thread flags are atomics.

    public let statistics = PipelineStatistics()
    public let journal: Journal
    private let inbox: MQTTInbox
    private let publisher: any OutboundPublisher
    let clock: any WatchClock
    private let decoder: MessageDecoder
    private let directory: SiteDirectory
    var watch: Watch
    let logger: Logger
    private var rejectionLog = RejectionLog()
    private var confirmed: [Int64] = []
    private var lastMarkCommit: Int64 = 0
    private let stopRequested = Atomic<Bool>(false)
    private let submitted = Mutex<[OperatorInput]>([])
    private let escalationHandler = Mutex<(@Sendable (CentralEscalation) -> Void)?>(nil)
    private let commitObserver = Mutex<(@Sendable () -> Void)?>(nil)
    private let fetchHandler = Mutex<(@Sendable (_ from: Timestamp, _ until: Timestamp) -> Void)?>(nil)
    /// Inputs from outside the broker in the broker's own form (topic and payload), e.g. the
    /// Frigate backfill's `frigate/backfill` events: decoded, journaled and applied like messages.
    private let external = Mutex<[(topic: String, payload: [UInt8])]>([])
    /// External inputs taken for the commit under way; queued again if it fails.
    private var takenExternal: [(topic: String, payload: [UInt8])] = []
    /// Fetches of missed video the core asked for in the commit under way; handed out after it.
    private var fetches: [(Timestamp, Timestamp)] = []
    private let finished = NSCondition()
    private var running = false
    /// Longest the loop waits for input before letting time pass in the core.
    private let idleTickMilliseconds: Int
    /// Set when the clock is virtual: clock messages move it.
    private let virtualClock: VirtualClock?
    /// Whether this run's start has been journaled (and the core told).
    private var started = false
    /// Actions of a start, committed with it and published with the rest of that commit.
    private var pendingPublish: [(Int64, OutboxMessage)] = []
    /// How long the journal keeps each kind of record.
    private let retention: JournalRetention
    /// The record of stale incidents being closed, written with the closes.
    private var staleRecord: PurgeRecord?
    private var staleRecordWritten = false
    /// When pruning last ran, and whether it has more to do.
    private var lastPrune: Int64?
    private var pruneUnfinished = false
    /// At most this many outbox rows wait in the publisher's queue; the rest wait in the
    /// journal's outbox and are read back as it empties, so a broker that is slow to
    /// acknowledge (or a restart with a long outbox) costs disk, not memory.
    private let outboxWindow: Int
    /// The highest outbox id handed to the publisher.
    private var handedThrough: Int64 = 0
    /// Whether committed rows wait in the journal because the publisher's queue was full.
    private var outboxBehind = false
    /// Set while the journal refuses commits; nothing new is read until one succeeds.
    public private(set) var outage: JournalOutage?
    /// The batch whose commit failed, kept (not recycled) until it is committed.
    private var held: MQTTMessageBatch?
    /// Whether the core's state may be ahead of the journal (a commit failed after the core
    /// was told): it is rebuilt from the journal before the next attempt.
    var needsRebuild = false
    /// Operator inputs taken for the commit under way; queued again if it fails.
    private var takenInputs: [OperatorInput] = []
    /// When snapshots of the core's state are taken (see `Pipeline+Snapshots`).
    let snapshotPolicy: SnapshotPolicy
    /// The fingerprint of the configuration, stored with each snapshot.
    let configurationFingerprint: String
    /// Inputs journaled since the last snapshot, and when it was taken (pipeline clock).
    var eventsSinceSnapshot = 0
    var lastSnapshotAt: Int64?
    /// Guards `snapshotStoring`: whether a periodic snapshot is being encoded and stored on
    /// its own thread.
    let snapshotUnderWay = NSCondition()
    var snapshotStoring = false
    /// What the last replay did: the snapshot it started from, and the rows it replayed.
    var lastReplay: (snapshot: Int64?, rows: Int) = (nil, 0)

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
        self.outboxWindow = max(2, outboxWindow)
        self.retention = retention
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

    /// Journals the start of this run as an input and tells the core, so supervision counts
    /// from here both now and when the journal is replayed.
    private func markStart(at now: Timestamp, in tx: JournalTransaction) throws {
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
        eventsSinceSnapshot += 1
        let actions = watch.resume(at: now)
        pendingPublish.append(contentsOf: try enqueue(actions, in: tx, now: now))
    }

    // MARK: inputs from outside the broker

    /// Queues an operator command or a webhook result; the pipeline journals and applies it
    /// within its next step (at most `idleTickMilliseconds` later). Thread-safe.
    public func submit(_ input: OperatorInput) {
        submitted.withLock { $0.append(input) }
    }

    /// Called (on the pipeline thread) for each escalation to the central once it is
    /// committed; the webhook sender delivers it and submits the outcome.
    public func onCentralEscalation(_ handler: @escaping @Sendable (CentralEscalation) -> Void) {
        escalationHandler.withLock { $0 = handler }
    }

    /// Queues an input in the broker's form (topic and payload) that did not come through the
    /// broker: the Frigate backfill's events. Within the next step it is decoded like any
    /// message, journaled under `topic` (so a replay sees it) or dead-lettered, and applied.
    /// Thread-safe.
    public func submit(topic: String, payload: [UInt8]) {
        external.withLock { $0.append((topic, payload)) }
    }

    /// Called (on the pipeline thread) after a commit in which the core asked for the camera
    /// events of a gap to be fetched (`WatchAction.fetchMissedVideo`). It must not block.
    public func onFetchMissedVideo(_ handler: @escaping @Sendable (_ from: Timestamp, _ until: Timestamp) -> Void) {
        fetchHandler.withLock { $0 = handler }
    }

    /// Called (on the pipeline thread) after each commit, once its actions are handed to the
    /// publisher: the live dashboard reads what is new. It must not block.
    public func onCommit(_ observer: @escaping @Sendable () -> Void) {
        commitObserver.withLock { $0 = observer }
    }

    /// Journals and applies queued operator inputs.
    private func applySubmitted(now: Timestamp, in tx: JournalTransaction, into actions: inout [WatchAction]) throws {
        let inputs = submitted.withLock { queue -> [OperatorInput] in
            defer { queue.removeAll() }
            return queue
        }
        takenInputs.append(contentsOf: inputs)
        if let staleRecord, !staleRecordWritten {
            try tx.recordPurge(staleRecord)
            staleRecordWritten = true
        }
        let externals = external.withLock { queue -> [(topic: String, payload: [UInt8])] in
            defer { queue.removeAll() }
            return queue
        }
        takenExternal.append(contentsOf: externals)
        for (topic, payload) in externals {
            try applyExternal(topic: topic, payload: payload, now: now, in: tx, into: &actions)
        }
        for input in inputs {
            let payload = input.encoded()
            try Array(OperatorInput.topic.utf8).withUnsafeBytes { topic in
                try payload.withUnsafeBytes { p in
                    try tx.insertEvent(receivedAt: now.millisecondsSinceEpoch, topic: topic, payload: p, site: nil, device: nil, sequence: nil)
                }
            }
            actions.append(contentsOf: input.apply(to: &watch, now: now))
            eventsSinceSnapshot += 1
        }
    }

    /// One external input: journaled and applied when it decodes, dead-lettered when refused.
    private func applyExternal(topic: String, payload: [UInt8], now: Timestamp, in tx: JournalTransaction, into actions: inout [WatchAction]) throws {
        let result = payload.withUnsafeBytes { decoder.decode(topic: topic, payload: $0, receivedAt: now) }
        try Array(topic.utf8).withUnsafeBytes { topicBytes in
            try payload.withUnsafeBytes { p in
                switch result {
                case .message(let message):
                    let keys = JournalKeys(message)
                    try tx.insertEvent(
                        receivedAt: now.millisecondsSinceEpoch, topic: topicBytes, payload: p,
                        site: keys.site, device: keys.device, sequence: keys.sequence)
                    actions.append(contentsOf: watch.handle(message, now: now))
                    statistics.update { $0.accepted += 1 }
                case .ignored:
                    statistics.update { $0.ignored += 1 }
                case .rejected(let rejection):
                    try tx.insertDeadLetter(receivedAt: now.millisecondsSinceEpoch, topic: topicBytes, payload: p, rejection: rejection)
                    rejectionLog.record(rejection, topic: topic, now: now.millisecondsSinceEpoch, logger: logger)
                    statistics.update { $0.rejected[rejection.reason, default: 0] += 1 }
                }
            }
        }
    }

    private var hasSubmitted: Bool { submitted.withLock { !$0.isEmpty } || external.withLock { !$0.isEmpty } }

    // MARK: recovery

    /// What `recover()` found.
    public struct RecoveryReport: Sendable, Equatable {
        public var replayedInputs: Int
        public var resentActions: Int
        /// The journal position of the snapshot the state was restored from; nil: the whole
        /// journal was replayed.
        public var snapshotPosition: Int64?
        /// Journal rows replayed (inputs, start markers, operator inputs) after the snapshot.
        public var replayedRows: Int
    }

    /// Rebuilds the core's state by replaying every journaled input through it (its actions
    /// were already carried out, so they are discarded), then re-publishes outbox rows that
    /// were committed but never confirmed by the broker.
    public func recover() throws -> RecoveryReport {
        let replayed = try replayJournal()
        // Everything unconfirmed is sent again, read back from the journal a window at a time.
        let pending = try journal.pendingOutboxCount()
        handedThrough = 0
        outboxBehind = true
        if let now = clock.now() {
            try commit { tx in try markStart(at: now, in: tx) }
            publish([])
        }
        try refillOutbox()
        statistics.update { $0.replayed = replayed }
        logger.info("journal.recovered", metadata: [
            "journal.inputs": "\(replayed)", "journal.rows": "\(lastReplay.rows)", "outbox.resent": "\(pending)",
            "snapshot.position": "\(lastReplay.snapshot.map(String.init) ?? "none")",
        ])
        return RecoveryReport(
            replayedInputs: replayed, resentActions: pending, snapshotPosition: lastReplay.snapshot, replayedRows: lastReplay.rows)
    }

    /// Rebuilds the core's state: from the newest usable snapshot, else from nothing, then by
    /// replaying the journaled inputs after it (their actions were already carried out, so
    /// they are discarded). Returns the number of messages replayed.
    private func replayJournal() throws -> Int {
        watch = Watch(directory: directory)
        let position = restoreSnapshot()
        var replayed = 0
        var rows = 0
        try journal.replay(after: position ?? 0) { stored in
            rows += 1
            let now = Timestamp(millisecondsSinceEpoch: stored.receivedAt)
            if stored.topic == Self.startedTopic {
                watch.resume(at: now)
                return
            }
            if stored.topic == OperatorInput.topic {
                if let input = OperatorInput.decode(stored.payload) { _ = input.apply(to: &watch, now: now) }
                return
            }
            let result = stored.payload.withUnsafeBytes { decoder.decode(topic: stored.topic, payload: $0, receivedAt: now) }
            if case .message(let message) = result {
                _ = watch.handle(message, now: now)
                replayed += 1
            }
        }
        lastReplay = (position, rows)
        eventsSinceSnapshot = rows
        return replayed
    }

    /// One journal transaction. If it fails, everything the pipeline changed for it outside
    /// the core is undone (start marker, pending publishes, operator inputs) and the core is
    /// marked for rebuilding, since it may already have been told what is not durable.
    private func commit<T>(_ body: (JournalTransaction) throws -> T) throws -> T {
        let wasStarted = started
        let pendingCount = pendingPublish.count
        let fetchCount = fetches.count
        do {
            let result = try journal.commit(body)
            takenInputs.removeAll()
            takenExternal.removeAll()
            if staleRecordWritten {
                staleRecord = nil
                staleRecordWritten = false
            }
            return result
        } catch {
            staleRecordWritten = false
            started = wasStarted
            pendingPublish.removeSubrange(pendingCount...)
            fetches.removeSubrange(fetchCount...)
            if !takenExternal.isEmpty {
                let inputs = takenExternal
                external.withLock { $0.insert(contentsOf: inputs, at: 0) }
                takenExternal.removeAll()
            }
            if !takenInputs.isEmpty {
                let inputs = takenInputs
                submitted.withLock { $0.insert(contentsOf: inputs, at: 0) }
                takenInputs.removeAll()
            }
            needsRebuild = true
            throw error
        }
    }

    // MARK: running

    /// Starts the pipeline thread.
    public func start() {
        finished.lock()
        running = true
        finished.unlock()
        let thread = Thread { [self] in
            runLoop()
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
        }
        thread.name = "pipeline"
        thread.start()
    }

    /// Asks the thread to finish: it processes every batch already in the inbox, then stops.
    /// Returns when it has.
    public func stopAndDrain() {
        stopRequested.store(true, ordering: .releasing)
        finished.lock()
        while running { finished.wait() }
        finished.unlock()
    }

    private func runLoop() {
        while !stopRequested.load(ordering: .acquiring) {
            step(waitMilliseconds: idleTickMilliseconds)
        }
        // Drain: what is in the inbox is committed; while the journal refuses commits, a few
        // more attempts are made before giving up on what is held.
        var attempts = 0
        while attempts < 5 {
            if step(waitMilliseconds: 0) { continue }
            guard outage != nil else { break }
            attempts += 1
            Thread.sleep(forTimeInterval: Double(JournalOutage.firstDelayNanoseconds) / 1e9)
        }
        if let held, outage != nil {
            logger.critical("journal.shutdown.uncommitted", metadata: [
                "pipeline.held": "\(held.count)", "error": "\(outage?.lastError ?? "")",
            ])
        }
        recordFinalConfirmations()
        // A clean stop leaves a snapshot, so the next start replays nothing or almost nothing.
        if snapshotPolicy.enabled, eventsSinceSnapshot > 0 { takeSnapshot() }
        waitForSnapshots()
    }

    /// At shutdown: records the confirmations the broker sent since the last commit, so a
    /// clean restart does not send those rows again (in a pair, the standby that takes over
    /// has matched them against this daemon's publishes and will not send them either). Rows
    /// whose acknowledgement had not arrived when reading stopped are sent again after a
    /// restart, with their ids (receivers deduplicate).
    private func recordFinalConfirmations() {
        guard outage == nil else { return }
        confirmed.append(contentsOf: publisher.finalConfirmations(timeoutMilliseconds: 1_000))
        guard !confirmed.isEmpty, let now = clock.now() else { return }
        let ids = confirmed
        do {
            try journal.commit { tx in try tx.markSent(ids, at: now.millisecondsSinceEpoch) }
            confirmed.removeAll()
        } catch {
            logger.warning("outbox.confirmations.unrecorded", metadata: ["outbox.rows": "\(ids.count)", "error": "\(error)"])
        }
    }

    /// Processes at most one batch (waiting up to `waitMilliseconds` for one) and lets time
    /// pass in the core. Returns whether a batch was committed.
    ///
    /// A failed commit never throws out of here: the batch is held, nothing is acknowledged,
    /// no further batch is read (so the broker queues), and the commit is retried with
    /// back-off until the journal takes it (see `JournalOutage`).
    @discardableResult
    public func step(waitMilliseconds: Int) -> Bool {
        statistics.tick()
        if outage != nil { return retry(waitMilliseconds: waitMilliseconds) }
        let deadline = Date(timeIntervalSinceNow: Double(waitMilliseconds) / 1000)
        let batch = inbox.next(until: deadline)
        confirmed.append(contentsOf: publisher.takeConfirmations())
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
        } catch {
            failed(error, holding: batch)
        }
        return false
    }

    /// During an outage: once the back-off has passed, rebuilds the core if needed and tries
    /// the held batch (or, holding none, an idle commit) again.
    private func retry(waitMilliseconds: Int) -> Bool {
        guard let outage else { return false }
        let now = DispatchTime.now().uptimeNanoseconds
        if !outage.isDue(at: now) {
            let wait = min(outage.retryAt - now, UInt64(max(0, waitMilliseconds)) * 1_000_000)
            if wait > 0 { Thread.sleep(forTimeInterval: Double(wait) / 1e9) }
            guard outage.isDue(at: DispatchTime.now().uptimeNanoseconds) else { return false }
        }
        do {
            if needsRebuild {
                _ = try replayJournal()
                needsRebuild = false
            }
            // A failed attempt restores this copy instead of replaying the journal again.
            let saved = watch
            confirmed.append(contentsOf: publisher.takeConfirmations())
            do {
                if let batch = held {
                    try process(batch)
                    held = nil
                    inbox.recycle(batch)
                } else {
                    try idle()
                }
            } catch {
                watch = saved
                needsRebuild = false
                throw error
            }
        } catch {
            failed(error, holding: nil)
            return false
        }
        recovered()
        return true
    }

    /// A commit (or a journal read) failed: raise the alarm on every channel at the first
    /// failure, keep the batch, and schedule a retry.
    private func failed(_ error: any Error, holding batch: MQTTMessageBatch?) {
        if let batch { held = batch }
        let now = DispatchTime.now().uptimeNanoseconds
        let text = "\(error)"
        let heldCount = held?.count ?? 0
        if outage == nil {
            let wall = Int64(Date().timeIntervalSince1970 * 1000)
            outage = JournalOutage(since: wall, error: text, now: now)
            logger.critical("journal.commit.failed", metadata: [
                "error": "\(text)", "pipeline.held": "\(heldCount)", "journal.path": "\(journal.path)",
            ])
            publisher.publish(
                topic: Topic.warnings,
                payload: MessageEncoder.warning(
                    site: nil, code: "journal-failing",
                    message: "journal commits fail (\(text)); not reading, holding \(heldCount) messages, retrying",
                    time: Timestamp(millisecondsSinceEpoch: wall)),
                qos: 1, retain: false, confirmationToken: nil)
        } else {
            outage?.failed(error: text, now: now)
            if let attempts = outage?.attempts, attempts.nonzeroBitCount == 1 {
                // 2, 4, 8, … attempts: a reminder that does not flood the log.
                logger.error("journal.commit.retry.failed", metadata: [
                    "error": "\(text)", "journal.attempts": "\(attempts)", "pipeline.held": "\(heldCount)",
                ])
            }
        }
        statistics.update { s in
            s.journalFailing = true
            s.journalCommitFailures += 1
            s.heldMessages = heldCount
            s.journalError = text
        }
    }

    /// A commit succeeded after an outage: reading resumes.
    private func recovered() {
        guard let outage else { return }
        self.outage = nil
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        logger.notice("journal.commit.recovered", metadata: [
            "journal.attempts": "\(outage.attempts)", "journal.outage.ms": "\(wall - outage.since)",
        ])
        publisher.publish(
            topic: Topic.warnings,
            payload: MessageEncoder.warning(
                site: nil, code: "journal-recovered",
                message: "journal commits work again after \(outage.attempts) failed attempts",
                time: Timestamp(millisecondsSinceEpoch: wall)),
            qos: 1, retain: false, confirmationToken: nil)
        statistics.update { s in
            s.journalFailing = false
            s.heldMessages = 0
            s.journalError = nil
        }
    }

    private func process(_ batch: MQTTMessageBatch) throws {
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
                               directory.device(event.device, at: event.site)?.wantsAcknowledgement ?? false {
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
                if !confirmed.isEmpty {
                    try tx.markSent(confirmed, at: time.millisecondsSinceEpoch)
                    markedConfirmed = true
                }
            }
        }
        eventsSinceSnapshot += counts.accepted
        if markedConfirmed, let time = now {
            confirmed.removeAll(keepingCapacity: true)
            lastMarkCommit = time.millisecondsSinceEpoch
        }
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

    /// Hands committed rows to the publisher, unless its queue is full: then they wait in the
    /// journal for `refillOutbox`. Escalations to the central go to the webhook sender at once.
    private func publish(_ rows: [(Int64, OutboxMessage)]) {
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
        if !outboxBehind, publisher.queuedReliable >= outboxWindow {
            outboxBehind = true
            statistics.update { $0.outboxDeferrals += 1 }
            logger.warning("outbox.deferred", metadata: ["outbox.window": "\(outboxWindow)"])
        }
        for (id, message) in rows {
            if !outboxBehind {
                publisher.publish(topic: message.topic, payload: message.payload, qos: 1, retain: message.kind.retained, confirmationToken: id)
                handedThrough = id
            }
            if message.kind == .central, let handler, let escalation = message.centralEscalation {
                handler(escalation)
            }
        }
        commitObserver.withLock { $0 }?()
    }

    /// While rows wait in the journal, hands them over in id order once the publisher's
    /// queue is at most half full; ends when every committed row has been handed over.
    private func refillOutbox() throws {
        guard outboxBehind else { return }
        let room = outboxWindow - publisher.queuedReliable
        guard room >= outboxWindow / 2 else { return }
        let rows = try journal.pendingOutbox(after: handedThrough, limit: room)
        for entry in rows {
            let retained = OutboxMessage.Kind(rawValue: entry.kind)?.retained ?? false
            publisher.publish(topic: entry.topic, payload: entry.payload, qos: 1, retain: retained, confirmationToken: entry.id)
            handedThrough = entry.id
        }
        if rows.count < room {
            outboxBehind = false
            logger.notice("outbox.caught.up", metadata: ["outbox.last.id": "\(handedThrough)"])
        }
    }

    /// No input arrived: let timers fire, record confirmations now and then, and prune.
    private func idle() throws {
        guard let now = clock.now() else { return }
        let nowMs = now.millisecondsSinceEpoch
        try pruneIfDue(now: nowMs)
        // A virtual clock moves only with clock messages, which tick the core themselves.
        var actions = virtualClock == nil && started ? watch.tick(now: now) : []
        let markDue = !confirmed.isEmpty && nowMs - lastMarkCommit >= 1000
        guard !actions.isEmpty || markDue || !started || hasSubmitted else { return }
        let toPublish = try commit { tx in
            try markStart(at: now, in: tx)
            try applySubmitted(now: now, in: tx, into: &actions)
            let rows = try enqueue(actions, in: tx, now: now)
            try tx.markSent(confirmed, at: nowMs)
            return rows
        }
        confirmed.removeAll(keepingCapacity: true)
        lastMarkCommit = nowMs
        publish(toPublish)
        statistics.update { $0.published += toPublish.count }
    }

    /// Hourly, and in chunks between idle steps so ingestion never waits long: applies the
    /// retention periods (see `Journal.purge`, which records each purge) and closes incidents
    /// still open past `retention.staleIncident` as stale, through the core like an
    /// operator's close, so the close is journaled, replayed and recorded as a transition.
    private func pruneIfDue(now: Int64) throws {
        guard pruneUnfinished || lastPrune.map({ now - $0 >= 3_600_000 }) ?? true else { return }
        if !pruneUnfinished { try closeStaleIncidents(now: now) }
        let (records, unfinished) = try journal.purge(now: now, retention: retention)
        pruneUnfinished = unfinished
        lastPrune = now
        for record in records {
            logger.info("journal.purged", metadata: [
                "purge.what": "\(record.what)", "purge.count": "\(record.count)", "purge.cutoff": "\(record.cutoff)",
            ])
        }
    }

    private func closeStaleIncidents(now: Int64) throws {
        guard staleRecord == nil else { return }
        let cutoff = now - retention.staleIncident.value
        let stale = try journal.openIncidents(openedBefore: cutoff)
        guard !stale.isEmpty else { return }
        let days = JournalRetention.wholeDays(retention.staleIncident)
        for id in stale {
            submit(.close(incident: IncidentID(id), author: "propertywatchd", reason: "stale: still open \(days) days after it opened"))
            logger.warning("incident.closed.stale", metadata: ["incident.id": "\(id)", "incident.stale.days": "\(days)"])
        }
        staleRecord = PurgeRecord(what: "stale-incidents", count: stale.count, time: now, cutoff: cutoff)
    }

    /// Writes actions to the outbox; returns those that are new (not re-derived duplicates).
    /// The same warning twice among `actions` (one millisecond) is told apart by its order, so
    /// neither is lost; other kinds keep their keys (an on-call contact is told once).
    private func enqueue(_ actions: [WatchAction], in tx: JournalTransaction, now: Timestamp) throws -> [(Int64, OutboxMessage)] {
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

/// The indexed columns of a journaled input.
struct JournalKeys {
    var site: String?
    var device: String?
    var sequence: Int64?

    init(_ message: InboundMessage) {
        switch message {
        case .alarm(let e):
            self.init(site: e.site.rawValue, device: e.device.rawValue, sequence: Int64(truncatingIfNeeded: e.sequence))
        case .camera(let c):
            self.init(site: c.site.rawValue, device: c.camera.rawValue, sequence: nil)
        case .heartbeat(let h):
            self.init(site: h.site.rawValue, device: h.device.rawValue, sequence: nil)
        case .checkIn(let c):
            self.init(site: c.site.rawValue, device: c.unit.rawValue, sequence: nil)
        case .position(let p):
            self.init(site: nil, device: p.unit.rawValue, sequence: nil)
        case .unitStatus(let s):
            self.init(site: nil, device: s.unit.rawValue, sequence: nil)
        case .reply(let r):
            self.init(site: nil, device: r.unit.rawValue, sequence: nil)
        case .video(.cameras(let feeds)) where feeds.count == 1:
            self.init(site: feeds[0].site.rawValue, device: feeds[0].camera.rawValue, sequence: nil)
        case .video:
            self.init(site: nil, device: nil, sequence: nil)
        }
    }

    init(site: String?, device: String?, sequence: Int64?) {
        self.site = site
        self.device = device
        self.sequence = sequence
    }
}
