import Foundation
import Logging
import PropertyWatchMQTT
import PropertyWatchPipeline
import Testing

/// The gate over a client that is never started: what it would send stays in the client's
/// queue, where `withdrawQueuedReliable()` shows it. No broker.
@Suite struct StandbyGateTests {
    func gate() throws -> (StandbyGate, MQTTClient) {
        let client = try MQTTClient(configuration: MQTTConfiguration(clientID: "gate-test"), logger: Logger(label: "test"))
        return (StandbyGate(client: client), client)
    }

    func request(_ id: String, revision: Int = 1, time: Int = 1) -> [UInt8] {
        Array(#"{"v":1,"request":"\#(id)",\#(revision > 1 ? "\"revision\":\(revision)," : "")"time":\#(time)}"#.utf8)
    }

    let topic = "propertywatch/v1/units/P1/requests"

    @Test func aStandbyHoldsRowsAndConfirmsThoseTheActivePublished() throws {
        let (gate, client) = try gate()
        gate.publish(topic: topic, payload: request("r1"), qos: 1, retain: false, confirmationToken: 1)
        gate.publish(topic: topic, payload: request("r2"), qos: 1, retain: false, confirmationToken: 2)
        #expect(gate.heldCount == 2)
        #expect(gate.queuedReliable == 2)
        // The active's copy of r1, stamped a few ms later.
        gate.observe(topic: topic, payload: request("r1", time: 4))
        #expect(gate.takeConfirmations() == [1])
        #expect(gate.heldCount == 1)
        // Seen before this daemon produced it: confirmed as soon as it does.
        gate.observe(topic: topic, payload: request("r3"))
        gate.publish(topic: topic, payload: request("r3", time: 9), qos: 1, retain: false, confirmationToken: 3)
        #expect(gate.takeConfirmations() == [3])
        #expect(client.withdrawQueuedReliable().isEmpty, "a standby published")
    }

    @Test func aTakeoverPublishesExactlyWhatTheActiveHadNot() throws {
        let (gate, client) = try gate()
        for (token, id) in [(1, "r1"), (2, "r2"), (3, "r3")] {
            gate.publish(topic: topic, payload: request(id), qos: 1, retain: false, confirmationToken: Int64(token))
        }
        gate.observe(topic: topic, payload: request("r2"))
        // A device acknowledgement (no token): dropped as standby, sent at the takeover.
        gate.publish(topic: "propertywatch/v1/sites/s/acks/d", payload: [1], qos: 0, retain: false, confirmationToken: nil)
        #expect(gate.activate() == 2)
        #expect(client.withdrawQueuedReliable().map(\.token) == [1, 3])
        #expect(gate.counters.publishedAtTakeover == 2)
        #expect(gate.counters.matched == 1)
        #expect(gate.counters.dropped == 1)
    }

    @Test func fencingTakesBackWhatTheClientHasNotSent() throws {
        let (gate, client) = try gate()
        gate.activate()
        gate.publish(topic: topic, payload: request("r1"), qos: 1, retain: false, confirmationToken: 1)
        gate.publish(topic: topic, payload: request("r1", revision: 2), qos: 1, retain: false, confirmationToken: 2)
        gate.fence()
        #expect(client.withdrawQueuedReliable().isEmpty)
        #expect(gate.heldCount == 2)
        #expect(gate.counters.withdrawn == 2)
        // Revisions are different actions: the active's revision 2 confirms only that one.
        gate.observe(topic: topic, payload: request("r1", revision: 2))
        #expect(gate.takeConfirmations() == [2])
    }

    @Test func anExpiredLeaseHoldsEvenBeforeTheFence() throws {
        let (gate, client) = try gate()
        gate.activate()
        gate.leaseValid(until: 0)
        gate.publish(topic: topic, payload: request("r1"), qos: 1, retain: false, confirmationToken: 1)
        #expect(client.withdrawQueuedReliable().isEmpty)
        #expect(gate.heldCount == 1)
    }

    @Test func asActiveItsOwnEchoConfirms() throws {
        let (gate, _) = try gate()
        gate.activate()
        gate.publish(topic: topic, payload: request("r1"), qos: 1, retain: false, confirmationToken: 7)
        gate.observe(topic: topic, payload: request("r1"))
        #expect(gate.finalConfirmations(timeoutMilliseconds: 0) == [7])
    }
}
