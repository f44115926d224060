import Foundation
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Testing

/// A panel back from an outage sends the events it buffered, with their original times: within
/// the late window they are journaled and acknowledged end to end (so the panel stops
/// retransmitting), recorded as late and never dispatched; older ones are dead letters.
@Suite("Buffered events against a real Mosquitto and a real journal")
struct LateEventPipelineTests {
    static func buffered(seq: Int, minutesAgo: Int64) -> (topic: String, payload: String) {
        let time = PipelineFixture.nowMilliseconds - minutesAgo * 60_000
        return ("propertywatch/v1/sites/broskolan/alarms/pir-a",
                #"{"v":1,"site":"broskolan","device":"pir-a","zone":"a","class":"intrusion","seq":\#(seq),"id":"pir-a-\#(seq)","time":\#(time)}"#)
    }

    @Test func aBufferedEventIsAcknowledgedJournaledAndNotDispatched() throws {
        let broker = try TestBroker(persistent: false)
        let dir = TestEnvironment.temporaryDirectory()
        let acks = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/+/acks/+"])
        let harness = try PipelineHarness(port: broker.port, journalPath: dir.appendingPathComponent("j.sqlite").path, clientID: TestEnvironment.uniqueName("pw"))
        let publisher = try TestPublisher(port: broker.port)
        let late = Self.buffered(seq: 3, minutesAgo: 47)
        let tooLate = Self.buffered(seq: 4, minutesAgo: 25 * 60)
        #expect(publisher.publish(late.topic, late.payload))
        #expect(publisher.publish(tooLate.topic, tooLate.payload))
        #expect(try harness.process { $0.accepted == 1 && $0.rejectedTotal == 1 })

        let ack = try #require(acks.next())
        #expect(ack.topic == "propertywatch/v1/sites/broskolan/acks/pir-a")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ack.payload.utf8)) as? [String: Any])
        #expect(object["seqs"] as? [Int] == [3])
        #expect(try harness.count("SELECT COUNT(*) FROM event WHERE device = 'pir-a' AND seq = 3") == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM decision WHERE device = 'pir-a' AND verdict = 'late' AND reason LIKE '%arrived 47 min later%'") == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM dead_letter WHERE reason = 'too-late'") == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 0)
        #expect(harness.pipeline.statistics.snapshot.rejected[.tooLate] == 1)
        try harness.shutdown()
    }
}
