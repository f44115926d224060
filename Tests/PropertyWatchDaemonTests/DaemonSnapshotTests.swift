import Foundation
import GRDB
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `propertywatchd`: a clean stop (SIGTERM) stores a snapshot at the journal's last
/// row, and the next start restores it and replays only the rows after it (none).
@Suite("propertywatchd restarts from a snapshot")
struct DaemonSnapshotTests {
    typealias Daemon = DaemonProcessTests.Daemon

    func start(_ daemon: Daemon, notify: NotifySocket, log: String) throws -> ChildProcess {
        try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
            ["run", "--config", daemon.config.path, "--http-port", "0"], environment: ["NOTIFY_SOCKET": notify.path],
            logFile: log)
    }

    /// Waits for a notification containing `state` (others, such as `STATUS=`, are skipped).
    func wait(for state: String, on notify: NotifySocket) -> Bool {
        while let message = notify.receive() {
            if message.contains(state) { return true }
        }
        return false
    }

    /// The `journal.recovered` log lines, in order.
    func recoveries(_ log: String) throws -> [String] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.contains("journal.recovered") }
    }

    @Test func aCleanStopLeavesASnapshotAndTheRestartReplaysOnlyTheTail() throws {
        let broker = try TestBroker(persistent: false)
        let daemon = try Daemon(port: broker.port)
        let log = daemon.directory.appendingPathComponent("daemon.log").path
        let requests = try TestSubscriber(port: broker.port, filters: ["propertywatch/v1/units/+/requests"])
        let notify = try NotifySocket()

        let first = try start(daemon, notify: notify, log: log)
        #expect(wait(for: "READY=1", on: notify))
        let publisher = try TestPublisher(port: broker.port)
        let (topic, payload) = DaemonProcessTests.fire(seq: 1)
        #expect(publisher.publish(topic, payload))
        #expect(requests.next() != nil)
        first.send(SIGTERM)
        #expect(wait(for: "STOPPING=1", on: notify))
        #expect(first.waitForExit() == 0)

        let lastRow = try daemon.count("SELECT MAX(id) FROM event")
        #expect(lastRow >= 2, "a start marker and the alarm")
        #expect(try daemon.count("SELECT COUNT(*) FROM snapshot") == 1)
        #expect(try daemon.count("SELECT journal_position FROM snapshot") == lastRow)

        let second = try start(daemon, notify: notify, log: log)
        #expect(wait(for: "READY=1", on: notify))
        second.send(SIGTERM)
        #expect(wait(for: "STOPPING=1", on: notify))
        #expect(second.waitForExit() == 0)

        let lines = try recoveries(log)
        try #require(lines.count == 2, "\(lines)")
        #expect(lines[0].contains("snapshot.position=none"), "\(lines[0])")
        #expect(lines[1].contains("snapshot.position=\(lastRow)"), "\(lines[1])")
        #expect(lines[1].contains("journal.rows=0"), "\(lines[1])")
        // The second stop took a new snapshot (its own start marker), keeping the newest two.
        #expect(try daemon.count("SELECT COUNT(*) FROM snapshot") == 2)
        #expect(try daemon.count("SELECT MAX(journal_position) FROM snapshot") == daemon.count("SELECT MAX(id) FROM event"))
        // The incident opened before the restart is still open after it: no second request.
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE kind = 'guard-request'") == 1)
    }
}
