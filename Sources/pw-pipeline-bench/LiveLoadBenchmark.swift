import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport

/// (b) Live load at the broker's limit: one publisher sends `messages` QoS 1 messages as fast
/// as the broker takes them, while `mosquitto_sub -q 1` and the pipeline (journaling and
/// correlating) are both subscribed. Prints what each received (lost = sent − received) and
/// each one's rate over the same window.
struct LiveLoadBenchmark {
    let bench: BenchEnvironment
    let messages: Int
    let sites = 500

    func run() throws {
        say("== live: \(messages) QoS 1 messages published as fast as the broker takes them, both subscribers live")
        let port = bench.broker.port
        let id = TestEnvironment.uniqueName("bench-live")
        let journal = try Journal(path: bench.directory.appendingPathComponent("\(id).sqlite").path)
        let waiter = ConnectionWaiter()
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: port, clientID: id, cleanSession: false, subscriptions: Topic.subscriptions),
            logger: bench.logger, onStateChange: waiter.handler)
        let pipeline = Pipeline(
            configuration: bench.configuration(sites: sites), journal: journal, inbox: client.inbox,
            publisher: client, clock: SystemClock(), logger: bench.logger)
        _ = try pipeline.recover()
        pipeline.start()
        client.start()
        guard waiter.wait(for: .subscribed) else { throw TestFailure("pipeline did not subscribe") }

        let subLog = bench.directory.appendingPathComponent("\(id)-sub.count").path
        let sub = try ChildProcess("sh", ["-c",
            "mosquitto_sub -p \(port) -q 1 -C \(messages) -W 120 -t 'propertywatch/v1/sites/+/alarms/+' -t 'propertywatch/v1/sites/+/heartbeats/+' | wc -l > \(subLog)"])
        // mosquitto_sub has subscribed once the broker reports its connection; a short settle
        // is bounded and only delays the start of the measurement.
        usleep(300_000)

        let start = DispatchTime.now().uptimeNanoseconds
        try bench.publishBacklog(messages, sites: sites)
        let published = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        _ = sub.waitForExit()
        let subSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let subReceived = Int((try? String(contentsOfFile: subLog, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        let deadline = Date(timeIntervalSinceNow: 60)
        while pipeline.statistics.snapshot.received < messages, Date() < deadline { usleep(1000) }
        let pwSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        client.pauseReading()
        pipeline.stopAndDrain()
        client.shutdown()
        let stats = pipeline.statistics.snapshot
        let journaled = try journal.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE topic LIKE 'propertywatch/v1/sites/%'") ?? 0 }
        say("publisher: \(format(Double(messages) / published)) msg/s offered (\(String(format: "%.2f", published)) s)")
        say("mosquitto_sub -q 1: received \(subReceived), lost \(messages - subReceived), \(format(Double(subReceived) / subSeconds)) msg/s")
        say("pipeline: received \(stats.received), journaled \(journaled), lost \(messages - journaled), \(format(Double(stats.received) / pwSeconds)) msg/s")
        say("live rate ratio pipeline / mosquitto_sub: \(ratio((Double(stats.received) / pwSeconds) / (Double(subReceived) / subSeconds)))  (messages lost by the pipeline: \(messages - journaled), goal 0)")
    }
}
