import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport

/// A private broker, a synthetic municipality of many sites, and helpers shared by the benchmarks.
final class BenchEnvironment {
    let broker: TestBroker
    let directory: URL
    let logger = Logger(label: "bench")

    init() throws {
        broker = try TestBroker(persistent: false, tcpNoDelay: true)
        directory = TestEnvironment.temporaryDirectory("pw-bench")
    }

    /// `sites` sites, each with a panel (heartbeat), two PIRs, a door and a smoke detector,
    /// and two units on duty around the clock.
    func configuration(sites: Int) -> WatchConfiguration {
        let list = (0..<sites).map { i in
            SiteConfiguration(
                id: SiteID("s\(i)"), name: "Site \(i)", kind: .school, address: "Vägen \(i), Bro",
                location: Coordinate(latitude: 59.45 + Double(i % 100) * 0.001, longitude: 17.6 + Double(i / 100) * 0.001),
                zones: [ZoneConfiguration(id: "a", name: "A")],
                devices: [
                    DeviceConfiguration(id: "panel", kind: .panel, heartbeatSeconds: 60),
                    DeviceConfiguration(id: "pir-1", kind: .pir, zone: "a"),
                    DeviceConfiguration(id: "pir-2", kind: .pir, zone: "a"),
                    DeviceConfiguration(id: "door", kind: .door, zone: "a"),
                    DeviceConfiguration(id: "smoke", kind: .smoke, zone: "a"),
                ])
        }
        let always = ShiftConfiguration(id: "always", units: ["P1", "P2"], weekdays: Set(1...7), start: LocalTime(hour: 12), end: LocalTime(hour: 11, minute: 59))
        return WatchConfiguration(
            sites: list,
            patrol: PatrolConfiguration(units: [UnitConfiguration(id: "P1", callSign: "31"), UnitConfiguration(id: "P2", callSign: "32")], shifts: [always]))
    }

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The traffic mix: mostly heartbeats, one message in ten an alarm event or its restore.
    static func message(_ i: Int, sites: Int) -> (String, [UInt8]) {
        let site = "s\(i % sites)"
        let now = nowMilliseconds
        if i % 10 == 0 {
            let device = (i / 10) % 2 == 0 ? "pir-1" : "pir-2"
            let restore = (i / 20) % 2 == 1
            return ("propertywatch/v1/sites/\(site)/alarms/\(device)",
                    Array(#"{"v":1,"site":"\#(site)","device":"\#(device)","zone":"a","class":"intrusion","restore":\#(restore),"seq":\#(i),"id":"e\#(i)","time":\#(now)}"#.utf8))
        }
        return ("propertywatch/v1/sites/\(site)/heartbeats/panel", Array(#"{"v":1,"site":"\#(site)","device":"panel","time":\#(now)}"#.utf8))
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

    /// Publishes `count` messages at QoS 1 from a child process and waits until the broker
    /// has acknowledged all of them.
    func publishBacklog(_ count: Int, sites: Int) throws {
        let child = try ChildProcess(CommandLine.arguments[0], [
            "publish-backlog", "--port", "\(broker.port)", "--messages", "\(count)", "--sites", "\(sites)",
        ])
        guard child.waitForExit() == 0 else { throw TestFailure("backlog publisher failed") }
    }

    /// The child's side of `publishBacklog`.
    static func publishBacklog(port: Int32, count: Int, sites: Int) throws {
        var configuration = MQTTConfiguration(port: port, clientID: TestEnvironment.uniqueName("bench-pub"))
        configuration.maxInflight = 2000  // a load generator: keep the broker busy
        let publisher = try MQTTClient(configuration: configuration, logger: Logger(label: "bench"))
        publisher.start()
        defer { publisher.shutdown() }
        for i in 0..<count {
            let (topic, payload) = Self.message(i, sites: sites)
            publisher.publish(topic: topic, payload: payload, qos: 1, retain: false, confirmationToken: Int64(i))
        }
        var confirmed = 0
        let deadline = Date(timeIntervalSinceNow: 600)
        while confirmed < count, Date() < deadline {
            confirmed += publisher.waitForConfirmations(until: deadline).count
        }
        guard confirmed == count else { throw TestFailure("broker confirmed \(confirmed) of \(count)") }
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
    func pipelineDrain(clientID: String, count: Int, sites: Int, synchronousFull: Bool = true) throws -> (Double, PipelineStatistics.Snapshot) {
        let path = directory.appendingPathComponent("\(clientID).sqlite").path
        let journal = try Journal(path: path, synchronousFull: synchronousFull)
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: broker.port, clientID: clientID, cleanSession: false, subscriptions: Topic.subscriptions),
            logger: logger)
        let pipeline = Pipeline(
            configuration: configuration(sites: sites), journal: journal, inbox: client.inbox,
            publisher: client, clock: SystemClock(), logger: logger)
        _ = try pipeline.recover()
        let start = DispatchTime.now().uptimeNanoseconds
        pipeline.start()
        client.start()
        while pipeline.statistics.snapshot.received < count { usleep(500) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        client.pauseReading()
        pipeline.stopAndDrain()
        client.shutdown()
        return (seconds, pipeline.statistics.snapshot)
    }

    /// Resident memory of this process in KiB.
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }
func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }

/// Prints a line at once (stdout is block-buffered when piped).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
