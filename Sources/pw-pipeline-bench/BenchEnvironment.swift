import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import SimulatorKit

/// A private broker, a synthetic municipality of many sites, and helpers shared by the benchmarks.
final class BenchEnvironment {
    let broker: TestBroker
    let directory: URL
    let logger = Logger(label: "bench")

    init() throws {
        broker = try TestBroker(persistent: false, tcpNoDelay: true)
        directory = TestEnvironment.temporaryDirectory("pw-bench")
    }

    /// The synthetic municipality the load generator (`pw-sim load --synthetic-sites`) uses too.
    func configuration(sites: Int, units: Int = 2) -> WatchConfiguration {
        SyntheticMunicipality.configuration(sites: sites, units: units)
    }

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The simulators' load generator, built next to this binary (`swift build -c release`).
    static var simulator: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pw-sim").path
    }

    /// The traffic mix of every benchmark: mostly heartbeats, one message in ten an intrusion.
    static let mix = "heartbeat=90,intrusion=10"

    /// Starts `pw-sim load` against the private broker, on the synthetic municipality of
    /// `sites` sites, with every device taking part.
    func loadGenerator(_ arguments: [String], sites: Int, mix: String = BenchEnvironment.mix) throws -> ChildProcess {
        try ChildProcess(Self.simulator, ["load", "--port", "\(broker.port)", "--synthetic-sites", "\(sites)", "--devices", "\(sites * 5)", "--mix", mix] + arguments)
    }

    /// Creates a persistent session subscribed to the daemon's filters, then leaves.
    func prepareSession(clientID: String) throws {
        let waiter = ConnectionWaiter()
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: broker.port, clientID: clientID, cleanSession: false, subscriptions: Topic.subscriptions),
            logger: logger, onStateChange: waiter.handler)
        client.start()
        guard waiter.wait(for: .subscribed) else { throw TestFailure("session \(clientID) did not subscribe") }
        client.shutdown()
    }

    /// Publishes `count` messages at QoS 1 with `pw-sim load --backlog` and waits until the
    /// broker has acknowledged all of them.
    @discardableResult
    func publishBacklog(_ count: Int, sites: Int, wait: Bool = true) throws -> ChildProcess {
        let child = try loadGenerator(["--backlog", "--count", "\(count)", "--duration", "300"], sites: sites)
        if wait, child.waitForExit() != 0 { throw TestFailure("pw-sim load --backlog failed") }
        return child
    }

    /// Drains a prepared session with `mosquitto_sub -q 1 > /dev/null`; returns seconds.
    func mosquittoSubDrain(clientID: String, count: Int) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let sub = try ChildProcess("mosquitto_sub", [
            "-p", "\(broker.port)", "-c", "-i", clientID, "-q", "1", "-C", "\(count)",
            "-t", "propertywatch/v1/sites/+/alarms/+", "-t", "propertywatch/v1/sites/+/heartbeats/+",
        ])
        guard sub.waitForExit() == 0 else { throw TestFailure("mosquitto_sub failed") }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Drains a prepared session with the pipeline (durable, correlating); returns seconds and
    /// the pipeline's counters.
    /// - Parameters:
    ///   - sampler: started with the pipeline.
    ///   - whileRunning: called once the pipeline runs and has subscribed (live load).
    func pipelineDrain(
        clientID: String, count: Int, sites: Int, synchronousFull: Bool = true,
        sampler: ResidentSampler? = nil, whileRunning: (() throws -> Void)? = nil
    ) throws -> (Double, PipelineStatistics.Snapshot) {
        let path = directory.appendingPathComponent("\(clientID).sqlite").path
        let journal = try Journal(path: path, synchronousFull: synchronousFull)
        let waiter = ConnectionWaiter()
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: broker.port, clientID: clientID, cleanSession: false, subscriptions: Topic.subscriptions),
            logger: logger, onStateChange: waiter.handler)
        let pipeline = Pipeline(
            configuration: configuration(sites: sites), journal: journal, inbox: client.inbox,
            publisher: client, clock: SystemClock(), logger: logger)
        _ = try pipeline.recover()
        sampler?.start()
        let start = DispatchTime.now().uptimeNanoseconds
        pipeline.start()
        client.start()
        if let whileRunning {
            guard waiter.wait(for: .subscribed) else { throw TestFailure("pipeline did not subscribe") }
            try whileRunning()
        }
        var last = (received: 0, at: Date())
        while pipeline.statistics.snapshot.received < count {
            usleep(500)
            let received = pipeline.statistics.snapshot.received
            if received != last.received {
                last = (received, Date())
            } else if Date().timeIntervalSince(last.at) > 30 {
                throw TestFailure("pipeline stuck at \(received) of \(count) messages for 30 s")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        client.pauseReading()
        pipeline.stopAndDrain()
        client.shutdown()
        return (seconds, pipeline.statistics.snapshot)
    }

    /// One `/proc/self/status` field in KiB (`VmRSS`, `RssAnon`, `RssFile`, `RssShmem`).
    static func statusKiB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    /// Resident memory of this process in KiB.
    static func residentKiB() -> Int { statusKiB("VmRSS") }
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }
func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }

/// Prints a line at once (stdout is block-buffered when piped).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
