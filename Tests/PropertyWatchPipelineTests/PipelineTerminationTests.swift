import Foundation
import GRDB
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// A journal that refuses commits is an outage, retried for as long as it lasts; a journal
/// that lost inputs the pipeline had committed is not recoverable: the pipeline ends with a
/// `PipelineError`, its service throws it, and the service group shuts the rest down in order.
@Suite("Pipeline termination: outages are retried, a lost journal ends the daemon")
struct PipelineTerminationTests {
    static let refuseInputs = "CREATE TRIGGER refuse BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    static let note = OperatorInput.note(incident: IncidentID("2026-11-27-0001"), author: "op", text: "seen")

    /// Changes the journal through a connection of its own, behind the pipeline's back.
    static func behindTheBack(_ path: String, _ sql: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        try DatabaseQueue(path: path, configuration: configuration).write { db in try db.execute(sql: sql) }
    }

    /// A recovered pipeline on the system clock (idle steps commit), with a publisher that keeps
    /// nothing; its start is journaled as input row 1.
    static func pipeline(_ journal: Journal, inbox: MQTTInbox? = nil, publisher: (any OutboundPublisher)? = nil) throws -> Pipeline {
        let pipeline = Pipeline(
            configuration: PipelineFixture.configuration, journal: journal, inbox: try inbox ?? MQTTInbox.make(),
            publisher: publisher ?? BatchingDeterminismTests.Sink(), clock: SystemClock(), logger: Logger(label: "test.termination"),
            idleTickMilliseconds: 20)
        _ = try pipeline.recover()
        return pipeline
    }

    static func journal(_ name: String) throws -> Journal {
        try Journal(path: TestEnvironment.temporaryDirectory(name).appendingPathComponent("j.sqlite").path, synchronousFull: false)
    }

    @Test func aJournalRefusingCommitsIsAnOutageRetriedUntilItEnds() throws {
        let journal = try Self.journal("outage")
        let pipeline = try Self.pipeline(journal)
        try Self.behindTheBack(journal.path, Self.refuseInputs)
        pipeline.submit(Self.note)
        pipeline.step(waitMilliseconds: 0)
        #expect(pipeline.outage != nil)
        // Each step waits out the back-off (0.1 s, 0.2 s) and tries again.
        pipeline.step(waitMilliseconds: 1_000)
        pipeline.step(waitMilliseconds: 1_000)
        #expect(pipeline.outage?.attempts == 3)
        #expect(pipeline.failure == nil, "an outage never ends the pipeline")
        try Self.behindTheBack(journal.path, "DROP TRIGGER refuse")
        #expect(pipeline.step(waitMilliseconds: 1_000))
        #expect(pipeline.outage == nil)
        #expect(pipeline.failure == nil)
        let notes = try journal.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic = ?", arguments: [OperatorInput.topic])
        }
        #expect(notes == 1, "the input taken by the failed commits is committed once")
    }

    @Test func aJournalThatLostCommittedInputsEndsThePipeline() throws {
        let journal = try Self.journal("lost")
        let pipeline = try Self.pipeline(journal)
        try Self.behindTheBack(journal.path, "DELETE FROM event")
        try Self.behindTheBack(journal.path, Self.refuseInputs)
        pipeline.submit(Self.note)
        pipeline.step(waitMilliseconds: 0)
        #expect(pipeline.outage != nil)
        #expect(pipeline.failure == nil)
        // The retry rebuilds the core from the journal, which no longer has row 1.
        #expect(!pipeline.step(waitMilliseconds: 1_000))
        let failure = try #require(pipeline.failure)
        guard case .stopped(let reason) = failure else { return }
        #expect(reason.contains("journal inconsistent"))
        // Nothing happens after the end, also once the journal would take commits again.
        try Self.behindTheBack(journal.path, "DROP TRIGGER refuse")
        #expect(!pipeline.step(waitMilliseconds: 1_000))
        #expect(try journal.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") } == 0)
    }

    /// Stands for the daemon's other services: records whether it was shut down gracefully.
    final class Bystander: Service, Sendable {
        let shutDown = Mutex(false)

        func run() async throws {
            try await gracefulShutdown()
            shutDown.withLock { $0 = true }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theServiceThrowsWhenThePipelineEndsAndTheGroupShutsDownInOrder() async throws {
        let broker = try TestBroker.shareable()
        let journal = try Self.journal("service")
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                port: broker.port, clientID: TestEnvironment.uniqueName("pw"), cleanSession: true, subscriptions: Topic.subscriptions),
            logger: Logger(label: "test.termination.mqtt"), onStateChange: { _ in })
        let pipeline = try Self.pipeline(journal, inbox: client.inbox, publisher: client)
        try Self.behindTheBack(journal.path, "DELETE FROM event")
        try Self.behindTheBack(journal.path, Self.refuseInputs)
        pipeline.submit(Self.note)
        let bystander = Bystander()
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: bystander),
                .init(service: PipelineService(client: client, pipeline: pipeline, logger: Logger(label: "test.termination.service")),
                      failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            logger: Logger(label: "test.termination.group")))
        let error = await #expect(throws: PipelineError.self) { try await group.run() }
        guard case .stopped(let reason)? = error else { return }
        #expect(reason.contains("journal inconsistent"))
        #expect(bystander.shutDown.withLock { $0 }, "the other services were shut down gracefully, not cancelled")
        #expect(pipeline.failure != nil)
        #expect(!journal.isCheckpointing, "the service closed the journal on its way out")
    }
}
