import Foundation
import GRDB
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `propertywatchd` with its journal on a small tmpfs that fills up under load
/// (needs root to mount, as CI has).
@Suite("propertywatchd on a full disk", .enabled(if: SmallFilesystem.isAvailable, "mounting a tmpfs needs root"))
struct DaemonDiskFullTests {
    static func config(port: Int32, journal: String) -> String {
        DaemonConfigurationYAML.connection(brokerPort: port, journal: journal, journalExtra: "wal_preallocate_mb: 0, growth_chunk_mb: 1")
            + "\n" + DaemonConfigurationYAML.school()
    }

    /// `GET url` with curl: the status code and the body.
    static func get(_ url: String) throws -> (Int, String) {
        let process = try ChildProcess("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", url], captureOutput: true)
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        process.waitForExit()
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// Reads notifications until one contains `text`; false if none does within `timeout`.
    static func await(_ text: String, on notify: NotifySocket, timeout: Double = 60) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let message = notify.receive(timeout: deadline.timeIntervalSinceNow) else { return false }
            if message.contains(text) { return true }
        }
        return false
    }

    @Test func staysUpAlertsOnEveryChannelAndResumesWhenSpaceReturns() throws {
        let filesystem = try SmallFilesystem(megabytes: 16)
        let broker = try TestBroker(persistent: true)
        let directory = TestEnvironment.temporaryDirectory("daemon")
        let journal = filesystem.directory.appendingPathComponent("journal.sqlite").path
        let config = directory.appendingPathComponent("propertywatchd.yaml")
        try Self.config(port: broker.port, journal: journal).write(to: config, atomically: true, encoding: .utf8)
        let httpPort = try Loopback.freePort()
        let notify = try NotifySocket()
        let warnings = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/warnings"])
        let acks = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/sites/+/acks/+"])
        let daemon = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
            ["run", "--config", config.path, "--http-port", "\(httpPort)"], environment: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.receive()?.contains("READY=1") == true)

        var acknowledged: Set<Int> = []
        func collect(until seq: Int) {
            while !acknowledged.contains(seq), let ack = acks.next(timeout: 60) {
                let object = try? JSONSerialization.jsonObject(with: Data(ack.payload.utf8)) as? [String: Any]
                acknowledged.formUnion(object?["seqs"] as? [Int] ?? [])
            }
        }
        let publisher = try TestPublisher(port: broker.port)
        let total = 12_000
        for seq in 1...50 {
            let (topic, payload) = DaemonProcessTests.fire(seq: seq)
            #expect(publisher.publish(topic, payload))
        }
        collect(until: 50)
        #expect(acknowledged.count == 50)

        // The disk fills while the panel keeps sending.
        try filesystem.fill()
        for seq in 51...total {
            let (topic, payload) = DaemonProcessTests.fire(seq: seq)
            publisher.client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
        }
        #expect(Self.await("STATUS=CRITICAL", on: notify))
        #expect(daemon.isRunning)
        let (status, body) = try Self.get("http://127.0.0.1:\(httpPort)/health")
        #expect(status == 503)
        #expect(body.contains(#""status":"critical""#))
        let (_, metrics) = try Self.get("http://127.0.0.1:\(httpPort)/metrics")
        #expect(metrics.contains("propertywatch_journal_failing 1"))
        var alerted = false
        while !alerted, let warning = warnings.next(timeout: 10) { alerted = warning.payload.contains("journal-failing") }
        #expect(alerted)

        // Space returns: it resumes by itself and acknowledges everything, each event once.
        filesystem.free()
        #expect(Self.await("STATUS=Watching", on: notify))
        collect(until: total)
        #expect(acknowledged.contains(total))
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let queue = try DatabaseQueue(path: journal)
        let (rows, distinct) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE device = 'smoke-a'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT seq) FROM event WHERE device = 'smoke-a'") ?? -1)
        }
        #expect(rows == total)
        #expect(distinct == total)
    }
}
