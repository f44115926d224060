import Foundation
import GRDB
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchMQTT
import PropertyWatchPipeline
import Synchronization

/// A publisher that drops everything: the API tests run a real pipeline without a broker.
struct NoopPublisher: OutboundPublisher {
    func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?) {}
    func takeConfirmations() -> [Int64] { [] }
    var queuedReliable: Int { 0 }
}

/// A clock stopped at one instant.
struct FixedClock: WatchClock {
    var time: Timestamp
    func now() -> Timestamp? { time }
}

/// Collects what is submitted, in order, and lets a test wait for a number of them.
final class InputRecorder: Sendable {
    private let inputs = Mutex<[OperatorInput]>([])
    private let stream: AsyncStream<OperatorInput>
    private let continuation: AsyncStream<OperatorInput>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream() }

    func record(_ input: OperatorInput) {
        inputs.withLock { $0.append(input) }
        continuation.yield(input)
    }

    var recorded: [OperatorInput] { inputs.withLock { $0 } }

    /// Waits until `count` inputs have arrived in total; returns them.
    func first(_ count: Int) async -> [OperatorInput] {
        var seen: [OperatorInput] = []
        for await input in stream {
            seen.append(input)
            if seen.count == count { break }
        }
        return seen
    }
}

/// The real backend over a real pipeline and journal, recording what it submits.
struct RecordingBackend: OperatorBackend {
    let base: PipelineOperatorBackend
    let recorder: InputRecorder

    var journal: Journal { base.journal }
    var statistics: PipelineStatistics.Snapshot { base.statistics }
    var inboxStalls: Int { base.inboxStalls }
    var brokerStatus: String { base.brokerStatus }
    func now() -> Timestamp? { base.now() }
    func knows(site: SiteID) -> Bool { base.knows(site: site) }
    var configuration: WatchConfiguration { base.configuration }
    func submit(_ input: OperatorInput) {
        recorder.record(input)
        base.submit(input)
    }
}

/// A pipeline on a temporary journal, no broker, and a clock fixed at `now`.
final class APIFixture: Sendable {
    static let now = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)
    static let configuration = WatchConfiguration(sites: [
        SiteConfiguration(
            id: "broskolan", name: "Broskolan", kind: .school, address: "Skolvägen 1, Bro",
            location: Coordinate(latitude: 59.512, longitude: 17.632),
            zones: [ZoneConfiguration(id: "a", name: "A-huset")],
            devices: [DeviceConfiguration(id: "pir-a", kind: .pir, zone: "a")])
    ])

    let directory: URL
    let pipeline: Pipeline
    let recorder = InputRecorder()
    let backend: RecordingBackend

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let journal = try Journal(path: directory.appendingPathComponent("journal.sqlite").path, synchronousFull: false)
        let inbox = try MQTTInbox.make(batchCount: 2, messages: 16, bytes: 1 << 16)
        let clock = FixedClock(time: Self.now)
        pipeline = Pipeline(
            configuration: Self.configuration, journal: journal, inbox: inbox, publisher: NoopPublisher(),
            clock: clock, logger: Logger(label: "test.pipeline"))
        _ = try pipeline.recover()
        backend = RecordingBackend(
            base: PipelineOperatorBackend(
                pipeline: pipeline, configuration: Self.configuration, clock: clock,
                inboxStalls: { inbox.stallCount }, brokerStatus: { "connected" }),
            recorder: recorder)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Seeds an incident with two transitions.
    func seedIncident(_ id: IncidentID, closed: Bool = false) throws {
        try pipeline.journal.commit { tx in
            try tx.record(IncidentTransition(
                incident: id, site: "broskolan", from: nil, to: .new, priority: .unverifiedIntrusion,
                cause: "pir-a intrusion", time: Self.now - .minutes(5)))
            try tx.record(IncidentTransition(
                incident: id, site: "broskolan", from: .new, to: closed ? .closed : .dispatched,
                priority: .unverifiedIntrusion, cause: closed ? "closed by operator" : "unit P1 requested", time: Self.now))
        }
    }

    /// Seeds two decision records, one about `incident`.
    func seedDecisions(incident: IncidentID) throws {
        try pipeline.journal.commit { tx in
            try tx.record(Decision(
                time: Self.now - .minutes(5), site: "broskolan", device: "pir-a", zone: "a", partition: "1",
                input: "intrusion from pir-a seq 1", verdict: .awaitingVerification,
                rule: "unverified-intrusion: verify-first 5 min, then dispatch", reason: "no second zone yet", incident: incident))
            try tx.record(Decision(
                time: Self.now, site: "broskolan", device: "cam-1", zone: "gard", input: "person cam-1",
                verdict: .observation, rule: "camera detection: observation", reason: "gard is not a camera alarm zone"))
        }
    }

    /// Seeds one dead letter.
    func seedDeadLetter() throws {
        let topic = Array("propertywatch/v1/sites/x/alarms/y".utf8)
        let payload = Array("not json".utf8)
        try pipeline.journal.commit { tx in
            try topic.withUnsafeBytes { t in
                try payload.withUnsafeBytes { p in
                    try tx.insertDeadLetter(
                        receivedAt: Self.now.millisecondsSinceEpoch, topic: t, payload: p,
                        rejection: Rejection(.malformedJSON, "unexpected character"))
                }
            }
        }
    }

    /// Journaled operator inputs, after one pipeline step has applied what was submitted.
    func journaledOperatorInputs() throws -> Int {
        _ = pipeline.step(waitMilliseconds: 0)
        return try pipeline.journal.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic LIKE '%/internal/operator'") ?? 0
        }
    }
}
