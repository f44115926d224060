import ArgumentParser
import Foundation
import PropertyWatchConfig
import SimulatorKit

/// `pw-sim scenario FILE`: plays a scenario on the virtual clock against a real broker and a
/// real `propertywatchd --virtual-clock`, then compares what happened with what it expects.
/// Exit status 0: pass; 1: mismatch; 2: the run itself failed.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Run a scenario file against propertywatchd and report pass or fail.")

    @Argument(help: "The scenario file (YAML), e.g. deploy/scenarios/quiet-night.yaml.")
    var file: String

    @Option(help: "Use the broker on this port instead of starting a private one.")
    var port: Int32?

    @Option(help: "Broker host (with --port).")
    var host: String = "127.0.0.1"

    @Flag(help: "Attach to a daemon already running with --virtual-clock on the broker instead of starting one.")
    var attach = false

    @Option(help: "The propertywatchd executable (default: next to pw-sim).")
    var daemon: String?

    @Option(help: "Write the full outcome (canonical text) to this file.")
    var outcome: String?

    @Flag(help: "Print the night's log as it runs.")
    var verbose = false

    @Option(help: "Directory for the journal and logs (default: a fresh temporary one).")
    var workDirectory: String?

    func run() throws {
        do {
            let passed = try play()
            if !passed { throw ExitCode(1) }
        } catch let failure as SimulatorFailure {
            print("scenario \(file): ERROR \(failure)")
            throw ExitCode(2)
        } catch let error as ScenarioError {
            print("scenario: ERROR\n\(error)")
            throw ExitCode(2)
        }
    }

    private func play() throws -> Bool {
        let scenario = try ScenarioParser.load(path: file)
        let configuration: PropertyWatchConfiguration
        do {
            configuration = try ConfigurationLoader.load(path: scenario.configurationPath)
        } catch {
            throw SimulatorFailure("configuration \(scenario.configurationPath): \(error)")
        }
        let problems = Simulation.problems(scenario, configuration: configuration.watch)
        guard problems.isEmpty else { throw ScenarioError(file: file, problems: problems) }

        let work = workDirectory.map { URL(fileURLWithPath: $0) } ?? Launch.temporaryDirectory("pw-scenario")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var broker: DaemonProcess?
        var brokerPort = port ?? 0
        if port == nil {
            let started = try Launch.broker(in: work)
            broker = started.0
            brokerPort = started.1
        }
        var daemonProcess: DaemonProcess?
        var link: MQTTLink?
        defer {
            link?.client.shutdown()
            daemonProcess?.stop()
            broker?.stop()
        }
        if !attach {
            let executable = daemon ?? Launch.sibling("propertywatchd")
            daemonProcess = try DaemonProcess(executable, [
                "run", "--config", scenario.configurationPath, "--broker-port", "\(brokerPort)",
                "--journal", work.appendingPathComponent("journal.sqlite").path, "--virtual-clock", "--log-level", "notice",
                "--http-port", "0",
            ], logFile: work.appendingPathComponent("propertywatchd.log").path)
        }
        let connection = try MQTTLink(host: host, port: brokerPort, clientID: "pw-sim-scenario-\(UUID().uuidString.prefix(6))")
        link = connection
        var sim = Simulation(configuration: configuration.watch, scenario: scenario)
        let verbose = self.verbose
        let driver = SimulationDriver(link: connection) { if verbose { print($0) } }
        let wall = Date()
        do {
            try driver.runVirtual(&sim)
        } catch {
            if let daemonProcess, !daemonProcess.isRunning {
                throw SimulatorFailure("propertywatchd exited; see \(work.path)/propertywatchd.log")
            }
            throw error
        }
        let verdict = ScenarioVerdict(expectation: scenario.expectation, outcome: sim.outcome)
        if let outcome {
            try sim.outcome.render().write(toFile: outcome, atomically: true, encoding: .utf8)
        }
        print(verdict.report(scenario: scenario, outcome: sim.outcome))
        // A passing run's journal is not needed (it lives in memory); a failing one is kept.
        let keep = workDirectory != nil || !verdict.passed
        print(String(format: "  (%.1f s wall time%@)", Date().timeIntervalSince(wall), keep ? "; journal and logs in \(work.path)" : ""))
        if !keep {
            connection.client.shutdown()
            daemonProcess?.stop()
            daemonProcess = nil
            broker?.stop()
            broker = nil
            try? FileManager.default.removeItem(at: work)
        }
        return verdict.passed
    }
}
