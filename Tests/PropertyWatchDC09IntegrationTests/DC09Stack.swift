import Foundation
import GRDB
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real Mosquitto, a real `propertywatchd` with its journal, and a real `pw-dc09`, configured
/// with three panel accounts: plain, AES-128 and AES-256.
final class DC09Stack: @unchecked Sendable {
    // Safe: used by one test at a time.
    static let key128 = "000102030405060708090A0B0C0D0E0F"
    static let key256 = "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"

    let broker: TestBroker
    let directory: URL
    let config: URL
    let tcpPort: Int32
    let udpPort: Int32
    let notify: NotifySocket
    var daemon: ChildProcess?
    var gateway: ChildProcess?
    var journal: String { directory.appendingPathComponent("journal.sqlite").path }

    /// The virtualenv Python with dc09-spt that `deploy/setup.sh` makes.
    static var python: String {
        ProcessInfo.processInfo.environment["PROPERTYWATCH_DC09_PYTHON"]
            ?? TestEnvironment.repositoryRoot.appendingPathComponent(".build-venv/dc09/bin/python").path
    }

    static var diallerAvailable: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// - Parameter extra: more `dc09:` keys, each line indented by two spaces.
    init(ackTimeoutSeconds: Double = 5, keyMode: Int = 0o600, extra: String = "") throws {
        broker = try TestBroker(persistent: true)
        directory = TestEnvironment.temporaryDirectory("dc09")
        config = directory.appendingPathComponent("propertywatchd.yaml")
        tcpPort = try Loopback.freePort()
        udpPort = try Loopback.freePort()
        notify = try NotifySocket()
        for (name, key) in [("k128", Self.key128), ("k256", Self.key256)] {
            let path = directory.appendingPathComponent("\(name).key").path
            try (key + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode_t(keyMode))
        }
        let yaml = DaemonConfigurationYAML.connection(brokerPort: broker.port, journal: journal) + "\n"
            + DaemonConfigurationYAML.school(devices: ["{id: panel-plain, kind: panel}", "{id: panel-aes128, kind: panel}", "{id: panel-aes256, kind: panel}"])
            + """

            dc09:
              tcp_listen: 127.0.0.1:\(tcpPort)
              udp_listen: 127.0.0.1:\(udpPort)
              ack_timeout_seconds: \(ackTimeoutSeconds)
            \(extra)
              accounts:
                - {account: "1234", site: broskolan, device: panel-plain, allow_unencrypted: true, zones: {"3": a}}
                - {account: "5678", site: broskolan, device: panel-aes128, key_file: \(directory.path)/k128.key, supervision_category: DP3, sequence_hex: true}
                - {account: "9ABC", site: broskolan, device: panel-aes256, key_file: \(directory.path)/k256.key, sequence_hex: true}
            """
        try yaml.write(to: config, atomically: true, encoding: .utf8)
    }

    deinit {
        _ = gateway?.terminate()
        _ = daemon?.terminate()
    }

    func startDaemon(virtualClock: Bool = false) throws {
        daemon = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
            ["run", "--config", config.path, "--http-port", "0"] + (virtualClock ? ["--virtual-clock"] : []),
            environment: ["NOTIFY_SOCKET": notify.path],
            logFile: directory.appendingPathComponent("daemon.log").path)
        // A previous run's STOPPING=1 may still be queued on the socket.
        while let message = notify.receive() {
            if message.contains("READY=1") { return }
        }
        throw ChildProcessError("propertywatchd did not get ready")
    }

    func stopDaemon() -> Int32? {
        defer { daemon = nil }
        return daemon?.terminate()
    }

    /// Starts the gateway and returns once it listens and its broker subscriptions are acknowledged.
    func startGateway(virtualClock: Bool = false) throws {
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("pw-dc09").path,
            ["--config", config.path] + (virtualClock ? ["--virtual-clock"] : []), captureOutput: true)
        gateway = process
        guard let out = process.standardOutput else { throw ChildProcessError("no gateway output") }
        var text = ""
        while !(text.contains("dc09.ready") && text.contains("dc09.broker.up")) {
            let chunk = out.availableData
            if chunk.isEmpty { throw ChildProcessError("pw-dc09 ended before it was ready:\n\(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // Keep draining its log so a full pipe never blocks it.
        let log = directory.appendingPathComponent("gateway.log").path
        _ = FileManager.default.createFile(atPath: log, contents: Data(text.utf8))
        Thread {
            let file = FileHandle(forWritingAtPath: log)
            file?.seekToEndOfFile()
            while true {
                let chunk = out.availableData
                if chunk.isEmpty { break }
                file?.write(chunk)
            }
        }.start()
    }

    /// Runs the dc09-spt dialler over `steps`; one result per step.
    func dial(_ steps: [[String: Any]]) throws -> [[String: Any]] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/PropertyWatchDC09IntegrationTests/dc09_dialler.py").path
        let process = try ChildProcess(Self.python, [script, "127.0.0.1", json], captureOutput: true)
        var output = Data()
        while let out = process.standardOutput {
            let chunk = out.availableData
            if chunk.isEmpty { break }
            output += chunk
        }
        _ = process.waitForExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        let queue = try DatabaseQueue(path: journal)
        return try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
    }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        let queue = try DatabaseQueue(path: journal)
        return try queue.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1 }
    }
}
