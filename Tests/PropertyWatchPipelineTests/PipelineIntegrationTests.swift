import Foundation
import GRDB
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

@Suite("Pipeline against a real Mosquitto and a real journal")
struct PipelineIntegrationTests {
    @Test func alarmIsJournaledThenBecomesAGuardRequest() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
        let harness = try PipelineHarness(port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path, clientID: TestEnvironment.uniqueName("pw"))
        let publisher = try TestPublisher(port: broker.port)
        let alarm = PipelineFixture.alarm("smoke-a", seq: 1)
        #expect(publisher.publish(alarm.topic, alarm.payload))
        #expect(try harness.process { $0.accepted == 1 })
        #expect(try harness.count("SELECT COUNT(*) FROM event WHERE device = 'smoke-a' AND seq = 1") == 1)
        let request = try #require(requests.next())
        #expect(request.topic.hasPrefix("propertywatch/v1/units/P"))
        #expect(request.payload.contains(#""priority":"fire""#))
        #expect(request.payload.contains(#""site":"broskolan""#))
        #expect(try harness.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 1)
        try harness.shutdown()
    }

    @Test func restartReplaysTheJournalAndNeverDispatchesTwice() throws {
        let broker = try TestBroker(persistent: true)
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("j.sqlite").path
        let id = TestEnvironment.uniqueName("pw")
        let publisher = try TestPublisher(port: broker.port)
        let alarm = PipelineFixture.alarm("smoke-a", seq: 1)

        let first = try PipelineHarness(port: broker.port, journalPath: path, clientID: id)
        #expect(first.recovery.replayedInputs == 0)
        #expect(publisher.publish(alarm.topic, alarm.payload))
        #expect(try first.process { $0.accepted == 1 && $0.guardRequests == 1 })
        try first.shutdown()

        let second = try PipelineHarness(port: broker.port, journalPath: path, clientID: id)
        #expect(second.recovery.replayedInputs == 1)
        // The panel retransmits the same event (it never saw an acknowledgement).
        #expect(publisher.publish(alarm.topic, alarm.payload))
        #expect(try second.process { $0.accepted == 1 })
        #expect(second.pipeline.statistics.snapshot.guardRequests == 0)
        #expect(try second.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 1)
        #expect(try second.count("SELECT COUNT(*) FROM incident") == 1)
        try second.shutdown()
    }

    @Test func badInputIsDeadLetteredCountedAndGoodInputStillFlows() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
        let harness = try PipelineHarness(port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path, clientID: TestEnvironment.uniqueName("pw"))
        let publisher = try TestPublisher(port: broker.port)
        #expect(publisher.publish("propertywatch/v1/sites/broskolan/alarms/smoke-a", "{not json"))
        #expect(publisher.publish("propertywatch/v1/sites/broskolan/alarms/smoke-a", String(repeating: "x", count: 5000)))
        let unknown = PipelineFixture.alarm("smoke-a", seq: 1, site: "nowhere")
        #expect(publisher.publish(unknown.topic, unknown.payload))
        let unknownZone = PipelineFixture.alarm("smoke-a", seq: 2, zone: "attic")
        #expect(publisher.publish(unknownZone.topic, unknownZone.payload))
        let good = PipelineFixture.alarm("smoke-a", seq: 1)
        #expect(publisher.publish(good.topic, good.payload))
        #expect(try harness.process { $0.accepted == 1 && $0.rejectedTotal == 4 })
        let stats = harness.pipeline.statistics.snapshot
        #expect(stats.rejected[.malformedJSON] == 1)
        #expect(stats.rejected[.oversize] == 1)
        #expect(stats.rejected[.unknownSite] == 1)
        #expect(stats.rejected[.unknownZone] == 1)
        let reasons = try harness.journal.read { db in
            try String.fetchAll(db, sql: "SELECT reason FROM dead_letter ORDER BY id")
        }
        #expect(reasons == ["malformed-json", "oversize", "unknown-site", "unknown-zone"])
        // The good alarm left its decision record, journaled with it.
        let verdicts = try harness.journal.read { db in try String.fetchAll(db, sql: "SELECT verdict FROM decision") }
        #expect(verdicts == ["dispatched"])
        #expect(stats.decisions.values.reduce(0, +) == 1)
        // The oversize payload is stored capped, with its real size.
        #expect(try harness.count("SELECT payload_size FROM dead_letter WHERE reason = 'oversize'") == 5000)
        #expect(try harness.count("SELECT length(payload) FROM dead_letter WHERE reason = 'oversize'") == 1024)
        #expect(requests.next()?.payload.contains("broskolan") == true)
        try harness.shutdown()
    }

    @Test func acknowledgesExactlyTheCommittedSequences() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let acks = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/+/acks/+"])
        let harness = try PipelineHarness(port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path, clientID: TestEnvironment.uniqueName("pw"))
        let publisher = try TestPublisher(port: broker.port)
        for seq in [5, 7] {
            let alarm = PipelineFixture.alarm("pir-a", seq: seq, cls: "intrusion")
            #expect(publisher.publish(alarm.topic, alarm.payload))
        }
        #expect(try harness.process { $0.accepted == 2 })
        var acknowledged: Set<Int> = []
        while acknowledged.count < 2, let ack = acks.next() {
            #expect(ack.topic == "propertywatch/v1/sites/broskolan/acks/pir-a")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(ack.payload.utf8)) as? [String: Any])
            for seq in object["seqs"] as? [Int] ?? [] {
                acknowledged.insert(seq)
                // Durable before acknowledged.
                #expect(try harness.count("SELECT COUNT(*) FROM event WHERE device = 'pir-a' AND seq = \(seq)") == 1)
            }
        }
        #expect(acknowledged == [5, 7])
        try harness.shutdown()
    }

    @Test func aFullPipelineStopsReadingAndLosesNothing() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let harness = try PipelineHarness(
            port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path,
            clientID: TestEnvironment.uniqueName("pw"), batches: 2, messages: 10)
        let publisher = try TestPublisher(port: broker.port)
        let total = 300
        for seq in 1...total {
            let alarm = PipelineFixture.alarm("pir-b", seq: seq, cls: "intrusion", zone: "b")
            publisher.client.publish(topic: alarm.topic, payload: Array(alarm.payload.utf8), qos: 1)
        }
        // Nothing is consumed yet: the client fills its two batches and stops reading.
        #expect(harness.client.inbox.waitUntilStalled(until: Date(timeIntervalSinceNow: 15)))
        #expect(try harness.process(until: { $0.accepted == total }, timeout: 30))
        #expect(try harness.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'pir-b'") == total)
        #expect(harness.client.inbox.stallCount >= 1)
        try harness.shutdown()
    }

    @Test func actionsWaitInTheJournalWhileTheBrokerDoesNotAcknowledgeAndAllArriveOnce() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let updates = try TestSubscriber(port: broker.port, filters: [
            "propertywatch/v1/incidents/+", "propertywatch/v1/warnings", "propertywatch/v1/units/+/requests", "propertywatch/v1/escalations/+",
        ])
        let window = 8
        let total = 200
        // Room for every alarm even if each arrives in a batch of its own.
        let harness = try PipelineHarness(
            port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path,
            clientID: TestEnvironment.uniqueName("pw"), batches: total + 2, messages: 10, batchBytes: 16 << 10,
            maxInflight: 2, outboxWindow: window)
        let publisher = try TestPublisher(port: broker.port)
        for seq in 1...total {
            let alarm = PipelineFixture.alarm(seq % 2 == 0 ? "pir-a" : "pir-b", seq: seq, cls: "intrusion", zone: seq % 2 == 0 ? "a" : "b")
            publisher.client.publish(topic: alarm.topic, payload: Array(alarm.payload.utf8), qos: 1)
        }
        // Every alarm is in the pipeline's inbox; then the broker stops acknowledging.
        let deadline = Date(timeIntervalSinceNow: 15)
        while harness.client.receivedCount < total, Date() < deadline { _ = harness.client.inbox.waitUntilStalled(until: Date(timeIntervalSinceNow: 0.05)) }
        try #require(harness.client.receivedCount == total)
        #expect(!harness.client.inbox.isStalled)
        broker.pause()
        #expect(try harness.process(until: { $0.accepted == total }))
        let rows = try harness.count("SELECT COUNT(*) FROM outbox")
        #expect(rows > 4 * window)
        #expect(harness.pipeline.statistics.snapshot.outboxDeferrals >= 1)
        // Bounded: the client holds at most a window plus one commit's rows.
        #expect(harness.client.queuedReliable <= window + 10 * 4)
        broker.resume()
        #expect(try harness.process(until: { _ in (try? harness.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")) == 0 }, timeout: 30))
        // Every committed update reaches the broker exactly once, in commit order.
        let committed = try harness.journal.pendingOutbox().isEmpty
            ? try harness.journal.read { db in try String.fetchAll(db, sql: "SELECT CAST(payload AS TEXT) FROM outbox ORDER BY id") }
            : []
        var received: [String] = []
        while received.count < committed.count, let message = updates.next(timeout: 10) { received.append(message.payload) }
        #expect(!committed.isEmpty)
        #expect(received == committed)
        #expect(updates.drain(window: 0.3).isEmpty)
        try harness.shutdown()
    }
}
