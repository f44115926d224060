import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Frigate going offline and back, end to end: a real Mosquitto, the real `propertywatchd`
/// and a small real HTTP server speaking Frigate's documented `/api/events` JSON. While
/// Frigate is offline a camera-unavailable incident is open and an intrusion is dispatched on
/// the alarm alone; the detection Frigate made meanwhile exists only on the HTTP side, and when
/// Frigate is back the daemon fetches it, journals it, and the unit underway is told the
/// incident is now video verified, with the Frigate event id and snapshot link.
@Suite("Frigate outage and backfill", .serialized)
struct FrigateOutageTests {
    static func yaml(brokerPort: Int32, journal: String, frigatePort: Int, margin: Int = 0) -> String {
        DaemonConfigurationYAML.connection(brokerPort: brokerPort, journal: journal) + "\n"
            + DaemonConfigurationYAML.school(devices: [
                "{id: panel, kind: panel}",
                "{id: pir-a, kind: pir, zone: a}",
                "{id: cam-a, kind: camera, camera_zones: [a]}",
            ]) + """

            rules: {unverified_intrusion: verify-first, verify_first_minutes: 10}
            frigate:
              url: http://127.0.0.1:\(frigatePort)
              backfill: {margin_seconds: \(margin), attempts: 2, timeout_seconds: 5}
              cameras:
                bro_a: {site: broskolan, device: cam-a}
            """
    }

    /// Runs blocking MQTT waits off the concurrency pool, so the HTTP server keeps answering.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// The next message whose payload contains `text`, skipping others; nil after `timeout` seconds.
    static func next(_ subscriber: TestSubscriber, containing text: String, timeout: Double = 20) -> (topic: String, payload: String)? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while deadline.timeIntervalSinceNow > 0, let message = subscriber.next(timeout: deadline.timeIntervalSinceNow) {
            if message.payload.contains(text) { return message }
        }
        return nil
    }

    static func alarm(_ device: String, _ eventClass: String, seq: Int, at time: Int64) -> (String, String) {
        ("propertywatch/v1/sites/broskolan/alarms/\(device)",
         #"{"v":1,"site":"broskolan","device":"\#(device)","zone":"a","class":"\#(eventClass)","seq":\#(seq),"id":"\#(device)-\#(seq)","time":\#(time)}"#)
    }

    @Test func frigateOfflineAndBackWithTheMissedEventsBackfilled() async throws {
        let broker = try TestBroker(persistent: false)
        let frigate = FakeFrigate()
        let directory = TestEnvironment.temporaryDirectory("frigate-outage")
        let journal = directory.appendingPathComponent("journal.sqlite").path
        try await frigate.application.test(.live) { client in
            let frigatePort = try #require(client.port)
            let config = directory.appendingPathComponent("propertywatchd.yaml")
            try Self.yaml(brokerPort: broker.port, journal: journal, frigatePort: frigatePort)
                .write(to: config, atomically: true, encoding: .utf8)
            let publisher = try TestPublisher(port: broker.port)
            let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
            let incidents = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/incidents/+"])
            func publish(_ topic: String, _ payload: String, retain: Bool = false) async throws -> Bool {
                try await Self.blocking { publisher.publish(topic, payload, retain: retain) }
            }
            // Frigate is up when the daemon starts (retained, as Frigate publishes it).
            #expect(try await publish("frigate/available", "online", retain: true))
            let notify = try NotifySocket()
            let daemon = try ChildProcess(
                TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
                ["run", "--config", config.path, "--http-port", "0"], environment: ["NOTIFY_SOCKET": notify.path])
            #expect(try await Self.blocking { notify.receive() }?.contains("READY=1") == true)

            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let (closeTopic, close) = Self.alarm("panel", "close", seq: 1, at: now)
            #expect(try await publish(closeTopic, close))

            // Frigate goes offline: video verification is unavailable at Broskolan.
            #expect(try await publish("frigate/available", "offline", retain: true))
            let opened = try #require(try await Self.blocking { Self.next(incidents, containing: "video verification unavailable at broskolan") })
            #expect(opened.payload.contains(#""to":"new""#))

            // An intrusion during the outage is dispatched on the alarm alone (verify first
            // would otherwise wait ten minutes for video).
            let (pirTopic, intrusion) = Self.alarm("pir-a", "intrusion", seq: 1, at: now + 1000)
            #expect(try await publish(pirTopic, intrusion))
            let request = try #require(try await Self.blocking { requests.next() })
            #expect(request.topic == "propertywatch/v1/units/P1/requests")
            #expect(request.payload.contains(#""verification":"none""#))
            #expect(!request.payload.contains("cameraEvents"))

            // Frigate saw a person meanwhile (after it went offline, before it is back); only
            // its HTTP API knows.
            let seen = Date().timeIntervalSince1970
            let id = "\(seen)-xk2p9q"
            frigate.add(id: id, camera: "bro_a", start: seen, end: seen + 20, zones: ["a"])
            // A person from long before the outage is outside the gap and never fetched.
            frigate.add(id: "old-1", camera: "bro_a", start: seen - 7200, end: seen - 7190, zones: ["a"])

            // Frigate is back: the daemon fetches the gap and the unit is told.
            #expect(try await publish("frigate/available", "online", retain: true))
            let update = try #require(
                try await Self.blocking { Self.next(requests, containing: #""revision":2"#) },
                "event at \(seen); Frigate was asked \(frigate.queries.withLock { $0 })")
            #expect(update.payload.contains(#""verification":"video""#))
            #expect(update.payload.contains(#""cameraEvents":["\#(id)"]"#))
            #expect(update.payload.contains(#""snapshot":"http://127.0.0.1:\#(frigatePort)/api/events/\#(id)/snapshot.jpg""#))
            let resolved = try #require(try await Self.blocking { Self.next(incidents, containing: "video verification available again") })
            #expect(resolved.payload.contains(#""to":"closed""#))

            daemon.send(SIGTERM)
            #expect(try await Self.blocking { daemon.waitForExit() } == 0)
        }
        // One fetch for Frigate's outage; on a loaded machine the daemon's own broker link may
        // also drop and come back, and that gap is fetched too (the event is still journaled once).
        let queries = frigate.queries.withLock { $0 }
        #expect((1...2).contains(queries.count), "\(queries)")
        #expect(queries.allSatisfy { $0.contains("limit=100") })

        let db = try DatabaseQueue(path: journal)
        try await db.read { db in
            // The fetched event is journaled like any input (so a replay sees it), once.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic = 'frigate/backfill'") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic = 'frigate/available'") == 3)
            let alone = try String.fetchOne(db, sql: "SELECT reason FROM decision WHERE input LIKE 'intrusion from pir-a%'")
            #expect(alone?.contains("video verification unavailable since") == true)
            let backfilled = try Row.fetchOne(db, sql: "SELECT verdict, rule FROM decision WHERE input LIKE 'backfilled person cam-a%'")
            #expect(backfilled?["verdict"] == "joined")
            #expect((backfilled?["rule"] as String?)?.hasSuffix("(backfilled)") == true)
            let kinds = try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM incident ORDER BY kind")
            #expect(kinds.contains("camera-unavailable"))
        }
    }

    /// The daemon's own broker link going down and back: what Frigate saw meanwhile (its
    /// QoS 0 events are not queued for us) is fetched and journaled too.
    @Test func aBrokerOutageIsBackfilled() async throws {
        let broker = try TestBroker(persistent: true)
        let frigate = FakeFrigate()
        let directory = TestEnvironment.temporaryDirectory("frigate-broker-gap")
        let journal = directory.appendingPathComponent("journal.sqlite").path
        try await frigate.application.test(.live) { client in
            let config = directory.appendingPathComponent("propertywatchd.yaml")
            try Self.yaml(brokerPort: broker.port, journal: journal, frigatePort: try #require(client.port), margin: 5)
                .write(to: config, atomically: true, encoding: .utf8)
            let notify = try NotifySocket()
            let daemon = try ChildProcess(
                TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
                ["run", "--config", config.path, "--http-port", "0"], environment: ["NOTIFY_SOCKET": notify.path])
            #expect(try await Self.blocking { notify.receive() }?.contains("READY=1") == true)

            broker.stop()
            let seen = Date().timeIntervalSince1970
            frigate.add(id: "\(seen)-gap", camera: "bro_a", start: seen, end: seen + 5, zones: ["a"])
            try broker.start()

            // Wait (with a deadline) until the fetched event is journaled.
            let db = try DatabaseQueue(path: journal)
            let deadline = ContinuousClock.now + .seconds(30)
            var journaled = 0
            while journaled == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                journaled = try await db.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic = 'frigate/backfill'") ?? 0
                }
            }
            #expect(journaled == 1)
            let verdict = try await db.read { db in
                try String.fetchOne(db, sql: "SELECT verdict FROM decision WHERE input LIKE 'backfilled person cam-a%'")
            }
            #expect(verdict == "observation")
            daemon.send(SIGTERM)
            #expect(try await Self.blocking { daemon.waitForExit() } == 0)
        }
        let queries = frigate.queries.withLock { $0 }
        #expect(queries.count == 1)
    }
}
