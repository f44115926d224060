import Foundation
import PropertyWatchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `pwctl` against a real `propertywatchd` (real broker, journal and HTTP), authenticated
/// with the EXAMPLE users file's demo tokens.
@Suite("pwctl against a running daemon", .serialized)
struct PWCtlTests {
    static let operatorToken = "EXAMPLE-demo-operator-token"
    static let viewerToken = "EXAMPLE-demo-viewer-token"

    /// A daemon with the EXAMPLE users file on a free HTTP port.
    final class RunningDaemon {
        let directory = TestEnvironment.temporaryDirectory("pwctl")
        let broker: TestBroker
        var process: ChildProcess
        let httpPort: Int32
        let config: URL
        var url: String { "http://127.0.0.1:\(httpPort)" }

        init() throws {
            broker = try TestBroker(persistent: false)
            httpPort = try Loopback.freePort()
            let users = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/config/users.EXAMPLE").path
            config = directory.appendingPathComponent("propertywatchd.yaml")
            try (DaemonConfigurationYAML.connection(brokerPort: broker.port, journal: directory.appendingPathComponent("journal.sqlite").path)
                + "\nhttp: {host: 127.0.0.1, port: \(httpPort), users_file: \(users)}\n"
                + DaemonConfigurationYAML.school()).write(to: config, atomically: true, encoding: .utf8)
            process = try Self.start(config: config, log: directory.appendingPathComponent("daemon.log").path)
        }

        static func start(config: URL, log: String) throws -> ChildProcess {
            let notify = try NotifySocket()
            let process = try ChildProcess(
                TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
                ["run", "--config", config.path], environment: ["NOTIFY_SOCKET": notify.path], logFile: log)
            guard notify.receive()?.contains("READY=1") == true else { throw ChildProcessError("the daemon did not become ready") }
            return process
        }

        /// Stops the daemon gracefully and starts it again on the same journal.
        func restart() throws {
            #expect(process.terminate() == 0)
            process = try Self.start(config: config, log: directory.appendingPathComponent("daemon.log").path)
        }

        /// Publishes a fire alarm; `pwctl tail` sees the incident open. Returns its id.
        func fire() throws -> String {
            let line = try PWCtlTests.tail(until: "(fire)", url: url) {
                let publisher = try TestPublisher(port: broker.port)
                let payload = #"{"v":1,"site":"broskolan","device":"smoke-a","zone":"a","class":"fire","seq":1,"id":"smoke-a-1","time":\#(Int64(Date().timeIntervalSince1970 * 1000))}"#
                _ = publisher.publish("propertywatch/v1/sites/broskolan/alarms/smoke-a", payload)
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3 else { throw ChildProcessError("unexpected tail line: \(line)") }
            return String(fields[3])
        }

        deinit {
            _ = process.terminate()
            broker.stop()
        }
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs pwctl to completion.
    @discardableResult
    static func pwctl(_ arguments: [String], url: String, token: String?, input: String? = nil) throws -> Run {
        var environment = ["PWCTL_URL": url]
        if let token { environment["PWCTL_TOKEN"] = token }
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("pwctl").path, arguments, environment: environment,
            captureOutput: true, captureError: true, pipeInput: input != nil)
        if let input, let stdin = process.standardInput {
            stdin.write(Data(input.utf8))
            try? stdin.close()
        }
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        let error = String(decoding: process.standardError?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        return Run(status: process.waitForExit(), output: output, error: error)
    }

    /// Starts `pwctl tail --until text`, waits until it follows the live stream, runs
    /// `action`, and returns the line that matched (tail exits on it).
    static func tail(until text: String, url: String, _ action: () throws -> Void) throws -> String {
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("pwctl").path, ["tail", "--until", text],
            environment: ["PWCTL_URL": url, "PWCTL_TOKEN": viewerToken], captureOutput: true, captureError: true)
        guard process.readError(until: "following").contains("following") else { throw ChildProcessError("pwctl tail did not start") }
        try action()
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(process.waitForExit() == 0)
        guard let line = output.split(separator: "\n").last(where: { $0.contains(text) }) else { throw ChildProcessError("tail ended without \(text): \(output)") }
        return String(line)
    }

    @Test func aClearMessageWhenTheDaemonIsUnreachable() throws {
        let port = try Loopback.freePort()
        let run = try Self.pwctl(["status"], url: "http://127.0.0.1:\(port)", token: Self.viewerToken)
        #expect(run.status == 69)
        #expect(run.error.contains("pwctl: cannot reach propertywatchd at http://127.0.0.1:\(port)"))
        #expect(run.error.contains("Is the daemon running?"))
    }

    @Test func helpAndCompletion() throws {
        let help = try Self.pwctl(["--help"], url: "http://127.0.0.1:1", token: nil)
        #expect(help.status == 0)
        for command in ["status", "incidents", "show", "ack", "close", "silence", "check", "units", "report", "tail"] {
            #expect(help.output.contains(command))
        }
        let closeHelp = try Self.pwctl(["close", "--help"], url: "http://127.0.0.1:1", token: nil)
        #expect(closeHelp.output.contains("--outcome"))
        let completion = try Self.pwctl(["--generate-completion-script", "bash"], url: "http://127.0.0.1:1", token: nil)
        #expect(completion.status == 0)
        #expect(completion.output.contains("complete"))
    }

    @Test func hashTokenMatchesTheUsersFileFormat() throws {
        let run = try Self.pwctl(["hash-token", Self.operatorToken], url: "http://127.0.0.1:1", token: nil)
        #expect(run.output.contains("token=sha256:ff7cbb08ff4ead2ec956189619650bb567f84af557aa4990677c3e0082afeda1"))
    }

    @Test func operatorWorkflowAgainstARealDaemon() throws {
        let daemon = try RunningDaemon()
        let url = daemon.url

        let wrong = try Self.pwctl(["status"], url: url, token: "not-a-token")
        #expect(wrong.status == 77)
        #expect(wrong.error.contains("refused the credentials (401"))

        let status = try Self.pwctl(["status"], url: url, token: Self.viewerToken)
        #expect(status.status == 0)
        #expect(status.output.contains("broker    connected"))
        #expect(status.output.contains("you: viewer, viewer"))

        let incident = try daemon.fire()
        #expect(incident.hasPrefix("inc-") || !incident.isEmpty)

        let forbidden = try Self.pwctl(["ack", incident], url: url, token: Self.viewerToken)
        #expect(forbidden.status == 77)
        #expect(forbidden.error.contains("403"))

        // Commands are journaled by the pipeline; tail sees the last one, then the timeline has them all.
        _ = try Self.tail(until: "caretaker called", url: url) {
            #expect(try Self.pwctl(["ack", incident], url: url, token: Self.operatorToken).status == 0)
            #expect(try Self.pwctl(["silence", "broskolan", "--device", "smoke-a", "--minutes", "30", "--reason", "detector service"], url: url, token: Self.operatorToken).status == 0)
            #expect(try Self.pwctl(["check", "broskolan", "--reason", "door reported open"], url: url, token: Self.operatorToken).status == 0)
            let bad = try Self.pwctl(["check", "nowhere"], url: url, token: Self.operatorToken)
            #expect(bad.status == 1)
            #expect(bad.error.contains("unknown site nowhere"))
            #expect(try Self.pwctl(["note", incident, "caretaker called"], url: url, token: Self.operatorToken).status == 0)
        }
        let show = try Self.pwctl(["show", incident], url: url, token: Self.viewerToken)
        #expect(show.output.contains("Broskolan"))
        #expect(show.output.split(separator: "\n").contains { $0.contains("demo ") && $0.contains("acknowledge") })
        #expect(show.output.contains("caretaker called"))
        #expect(show.output.contains("smoke-a") && show.output.contains("alarm fire (zone a)"))

        _ = try Self.tail(until: "→ closed", url: url) {
            let close = try Self.pwctl(["close", incident, "--outcome", "false-alarm", "--reason", "burnt toast"], url: url, token: Self.operatorToken)
            #expect(close.status == 0)
        }
        let open = try Self.pwctl(["incidents", "--open"], url: url, token: Self.viewerToken)
        #expect(open.output.contains("no open incidents"))

        // The operators' actions are journaled: after a restart the timeline still names them.
        try daemon.restart()
        let again = try Self.pwctl(["show", incident], url: url, token: Self.viewerToken)
        #expect(again.output.split(separator: "\n").contains { $0.contains("demo ") && $0.contains("acknowledge") })
        #expect(again.output.contains("caretaker called"))

        let units = try Self.pwctl(["units"], url: url, token: Self.viewerToken)
        #expect(units.output.contains("Väktare 31"))

        let report = try Self.pwctl(["report", "--night", "tonight", "--format", "json"], url: url, token: Self.viewerToken)
        let json = try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any]
        let actions = (json?["operatorActions"] as? [[String: Any]] ?? []).map { "\($0["author"] ?? "") \($0["action"] ?? "")" }
        #expect(actions.contains("demo acknowledge") && actions.contains("demo close") && actions.contains("demo silence"))
        let csv = try Self.pwctl(["report", "--night", "tonight", "--format", "csv"], url: url, token: Self.viewerToken)
        #expect(csv.output.hasPrefix("night,incident,site,site_name"))
        let html = try Self.pwctl(["report", "--night", "tonight", "--format", "html"], url: url, token: Self.viewerToken)
        #expect(html.output.contains("<svg"))
    }
}

/// The daemon refuses to start with a broken users file, saying where and why.
@Suite struct UsersFileStartupTests {
    @Test func aBrokenUsersFileStopsTheDaemonWithItsLineAndReason() throws {
        let directory = TestEnvironment.temporaryDirectory("users")
        let users = directory.appendingPathComponent("users")
        try "# operators\nanna chief token=sha256:\(String(repeating: "a", count: 64))\n".write(to: users, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("propertywatchd.yaml")
        try """
            journal: {path: \(directory.appendingPathComponent("journal.sqlite").path)}
            http: {users_file: \(users.path)}
            sites:
              - {id: s1, name: Skolan, kind: school, address: Skolvägen 1, location: {lat: 59.5, lon: 17.6}, zones: [{id: a, name: A}], devices: [{id: panel, kind: panel}]}
            """.write(to: config, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            TestEnvironment.productsDirectory.appendingPathComponent("propertywatchd").path,
            ["run", "--config", config.path, "--http-port", "0"], captureOutput: true)
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(process.waitForExit() == 78)
        #expect(output.contains("\(users.path):2: role: chief is not viewer, operator or admin"))
    }
}
