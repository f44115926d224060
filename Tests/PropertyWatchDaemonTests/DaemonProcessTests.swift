import Foundation
import GRDB
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `propertywatchd` binary: readiness, dispatch, SIGTERM and kill -9.
@Suite("propertywatchd as a process")
struct DaemonProcessTests {
    struct Daemon {
        let directory: URL
        let config: URL
        var journal: String { directory.appendingPathComponent("journal.sqlite").path }

        init(port: Int32) throws {
            directory = TestEnvironment.temporaryDirectory("daemon")
            config = directory.appendingPathComponent("propertywatchd.yaml")
            let yaml = DaemonConfigurationYAML.connection(brokerPort: port, journal: directory.appendingPathComponent("journal.sqlite").path)
                + "\n" + DaemonConfigurationYAML.school()
            try yaml.write(to: config, atomically: true, encoding: .utf8)
        }

        func start(notify: NotifySocket) throws -> ChildProcess {
            try ChildProcess(
                TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
                ["run", "--config", config.path, "--http-port", "0"], environment: ["NOTIFY_SOCKET": notify.path])
        }

        func count(_ sql: String) throws -> Int {
            let queue = try DatabaseQueue(path: journal)
            return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
        }
    }

    static func fire(seq: Int) -> (String, String) {
        ("propertywatch/v1/sites/broskolan/alarms/smoke-a",
         #"{"v":1,"site":"broskolan","device":"smoke-a","zone":"a","class":"fire","seq":\#(seq),"id":"smoke-a-\#(seq)","time":\#(Int64(Date().timeIntervalSince1970 * 1000))}"#)
    }

    @Test func readyThenDispatchesThenStopsGracefullyOnSIGTERM() throws {
        let broker = try TestBroker(persistent: false)
        let daemon = try Daemon(port: broker.port)
        let notify = try NotifySocket()
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests", "propertywatch/v1/daemon/status"])
        let process = try daemon.start(notify: notify)
        let ready = try #require(notify.receive())
        #expect(ready.contains("READY=1"))
        #expect(requests.next()?.payload.contains(#""state":"online""#) == true)

        let publisher = try TestPublisher(port: broker.port)
        let (topic, payload) = Self.fire(seq: 1)
        #expect(publisher.publish(topic, payload))
        let request = try #require(requests.next())
        #expect(request.topic == "propertywatch/v1/units/P1/requests")

        process.send(SIGTERM)
        #expect(notify.receive()?.contains("STOPPING=1") == true)
        #expect(process.waitForExit() == 0)
        #expect(requests.next()?.payload.contains(#""state":"offline""#) == true)
        #expect(try daemon.count("SELECT COUNT(*) FROM event WHERE device = 'smoke-a'") == 1)
    }

    @Test func killNineLosesNothingCommittedAndDoesNotDispatchAgain() throws {
        let broker = try TestBroker(persistent: true)
        let daemon = try Daemon(port: broker.port)
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
        let acks = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/+/acks/+"])
        let publisher = try TestPublisher(port: broker.port)
        let (topic, payload) = Self.fire(seq: 1)

        let notify = try NotifySocket()
        let first = try daemon.start(notify: notify)
        #expect(notify.receive()?.contains("READY=1") == true)
        #expect(publisher.publish(topic, payload))
        #expect(requests.next() != nil)
        first.send(SIGKILL)
        #expect(first.waitForExit() == 128 + SIGKILL)

        let second = try daemon.start(notify: notify)
        #expect(notify.receive()?.contains("READY=1") == true)
        // The panel retransmits; a second fire alarm from the same detector follows.
        #expect(publisher.publish(topic, payload))
        let (topic2, payload2) = Self.fire(seq: 2)
        #expect(publisher.publish(topic2, payload2))
        // Acknowledged means durable: wait for the acknowledgement of the second event.
        var acknowledged = false
        while !acknowledged, let ack = acks.next() {
            acknowledged = ack.payload.contains(#""seqs":[2]"#) || ack.payload.contains(#",2]"#)
        }
        #expect(acknowledged)
        second.send(SIGTERM)
        #expect(second.waitForExit() == 0)
        #expect(try daemon.count("SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'smoke-a'") == 2)
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 1)
    }

    @Test func killNineDuringLoadLosesNoAcknowledgedEvent() throws {
        let broker = try TestBroker(persistent: true)
        let daemon = try Daemon(port: broker.port)
        let acks = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/+/acks/+"])
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
        let notify = try NotifySocket()
        let first = try daemon.start(notify: notify)
        #expect(notify.receive()?.contains("READY=1") == true)

        let total = 3000
        let publisher = try TestPublisher(port: broker.port)
        for seq in 1...total {
            let (topic, payload) = Self.fire(seq: seq)
            publisher.client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
        }
        // Kill once acknowledgements are flowing, i.e. in the middle of the load.
        var acknowledged: Set<Int> = []
        func collect(_ message: (topic: String, payload: String)) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? [String: Any])
            acknowledged.formUnion(object["seqs"] as? [Int] ?? [])
        }
        while acknowledged.count < 300, let ack = acks.next() { try collect(ack) }
        first.send(SIGKILL)
        #expect(first.waitForExit() == 128 + SIGKILL)

        // The restarted daemon takes the rest from the broker's queue for its session.
        let second = try daemon.start(notify: notify)
        #expect(notify.receive()?.contains("READY=1") == true)
        while !acknowledged.contains(total), let ack = acks.next() { try collect(ack) }
        #expect(acknowledged.contains(total))
        second.send(SIGTERM)
        #expect(second.waitForExit() == 0)

        let journaled = try Set(DatabaseQueue(path: daemon.journal).read { db in
            try Int.fetchAll(db, sql: "SELECT DISTINCT seq FROM event WHERE device = 'smoke-a'")
        })
        #expect(acknowledged.isSubset(of: journaled), "acknowledged but not journaled: \(acknowledged.subtracting(journaled).sorted().prefix(10))")
        // Messages the first daemon took from the broker but never committed were not
        // acknowledged; devices that use acknowledgements retransmit them.
        #expect(acknowledged.count >= 300)
        var requestIDs: [String] = []
        while let request = requests.next(timeout: 1) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(request.payload.utf8)) as? [String: Any])
            requestIDs.append(object["request"] as? String ?? "")
        }
        // One fire incident, one unit, no timeout within the test: exactly one dispatch. A request
        // whose PUBACK was not yet recorded when the daemon was killed is sent again with the
        // same id after the restart (receivers deduplicate by it), never as a second dispatch.
        #expect(Set(requestIDs).count == 1, "more than one dispatch: \(requestIDs)")
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 1)
    }

    @Test func refusesABrokenConfigurationWithItsReason() throws {
        let directory = TestEnvironment.temporaryDirectory("daemon")
        let config = directory.appendingPathComponent("bad.yaml")
        try "sites:\n  - id: x\n    nmae: typo\n".write(to: config, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
            ["validate", "--config", config.path], captureOutput: true)
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(process.waitForExit() == 1)
        #expect(output.contains("bad.yaml:3"))
        #expect(output.contains("nmae"))
    }

    /// `--log-level` is parsed as a level in both executables that take it, so a typo is a
    /// usage error (exit 64) naming the option, not a silent fallback to info.
    @Test(arguments: [["propertywatchd", "run"], ["pw-dc09"]])
    func aMistypedLogLevelIsAUsageError(command: [String]) throws {
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent(command[0]).path,
            Array(command.dropFirst()) + ["--log-level", "bogus"], captureError: true)
        let error = String(decoding: process.standardError?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(process.waitForExit() == 64)
        #expect(error.contains("'bogus' is invalid for '--log-level"))
    }
}
