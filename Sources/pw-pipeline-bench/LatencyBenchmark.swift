import Foundation
import Histogram
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import Synchronization

/// (c) Alarm → guard request latency under background load, against the broker's own
/// publish → subscribe latency at the same load, in the same run.
///
/// The load is half the broker's limit, measured first in the same run (`pw-sim load --backlog`
/// into one `mosquitto_sub -q 1`), unless `--rate` sets it. The background is heartbeats from
/// `pw-sim load`, subscribed by the pipeline or by the reference subscriber. Alarms: fire
/// alarms at distinct sites at 100/s; a simulated guard accepts and clears each request at
/// once, so units are free again.
struct LatencyBenchmark {
    let bench: BenchEnvironment
    let alarms: Int
    /// Background messages a second; nil: half the broker's limit measured in this run.
    let rate: Int?
    let units = 20

    func run() throws {
        let background: Int
        if let rate {
            background = rate
        } else {
            let limit = try brokerLimit()
            background = limit / 2
            say("broker limit (pw-sim load → mosquitto_sub -q 1, 50k QoS 1 messages): \(limit) msg/s; background at 50 %: \(background) msg/s")
        }
        say("== latency: \(alarms) alarms at 100/s over \(background) msg/s background (pw-sim load), \(units) units")
        let reference = try measure(pipeline: false, background: background)
        let daemon = try measure(pipeline: true, background: background)
        func line(_ name: String, _ h: Histogram<UInt64>) -> String {
            "\(name): n=\(h.totalCount) p50=\(ms(h.valueAtPercentile(50))) p99=\(ms(h.valueAtPercentile(99))) p99.9=\(ms(h.valueAtPercentile(99.9))) max=\(ms(h.max)) ms"
        }
        say(line("broker publish → subscribe", reference))
        say(line("alarm → guard request     ", daemon))
        let goal = 2 * Double(reference.valueAtPercentile(99)) + 2000
        say("p99 ratio alarm→request / broker: \(ratio(Double(daemon.valueAtPercentile(99)) / Double(max(1, reference.valueAtPercentile(99)))))  goal: p99 ≤ 2×broker + 2 ms = \(ms(UInt64(goal))) ms → \(Double(daemon.valueAtPercentile(99)) <= goal ? "met" : "NOT met")")
    }

    /// Messages a second the broker delivers to one QoS 1 subscriber from one QoS 1 publisher
    /// publishing as fast as the broker acknowledges.
    private func brokerLimit() throws -> Int {
        let count = 50_000
        let log = bench.directory.appendingPathComponent("limit.count").path
        let sub = try ChildProcess("sh", ["-c",
            "mosquitto_sub -p \(bench.broker.port) -q 1 -C \(count) -W 120 -t 'propertywatch/v1/sites/+/heartbeats/+' | wc -l > \(log)"])
        // mosquitto_sub has no "subscribed" signal; a bounded settle only delays the start.
        usleep(300_000)
        let start = DispatchTime.now().uptimeNanoseconds
        let publisher = try bench.loadGenerator(["--backlog", "--count", "\(count)"], sites: alarms, mix: "heartbeat=100")
        _ = publisher.waitForExit()
        _ = sub.waitForExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let received = Int((try? String(contentsOfFile: log, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        guard received == count else { throw TestFailure("limit probe: mosquitto_sub received \(received) of \(count)") }
        return Int(Double(count) / seconds)
    }

    private func ms(_ micros: UInt64) -> String { String(format: "%.2f", Double(micros) / 1000) }

    private func configuration() -> WatchConfiguration {
        bench.configuration(sites: alarms, units: units)
    }

    private func measure(pipeline usePipeline: Bool, background: Int) throws -> Histogram<UInt64> {
        let port = bench.broker.port
        let logger = bench.logger
        var stop: (() -> Void)?
        if usePipeline {
            let id = TestEnvironment.uniqueName("bench-lat")
            let journal = try Journal(path: bench.directory.appendingPathComponent("\(id).sqlite").path)
            let waiter = ConnectionWaiter()
            let client = try MQTTClient(
                configuration: MQTTConfiguration(port: port, clientID: id, cleanSession: true, subscriptions: Topic.subscriptions),
                logger: logger, onStateChange: waiter.handler)
            let snapshots = ProcessInfo.processInfo.environment["PW_BENCH_SNAPSHOTS"] == "off" ? SnapshotPolicy(everyEvents: 0) : SnapshotPolicy()
            let pipeline = Pipeline(
                configuration: configuration(), journal: journal, inbox: client.inbox, publisher: client, clock: SystemClock(), logger: logger,
                snapshots: snapshots)
            _ = try pipeline.recover()
            pipeline.start()
            client.start()
            guard waiter.wait(for: .subscribed) else { throw TestFailure("pipeline did not subscribe") }
            stop = {
                client.pauseReading()
                pipeline.stopAndDrain()
                client.shutdown()
            }
        }
        defer { stop?() }

        let filters = usePipeline
            ? ["propertywatch/v1/units/+/requests"]
            : ["bench/latency/+", "propertywatch/v1/sites/+/heartbeats/+"]
        let subscriber = try TestSubscriber(port: port, filters: filters)
        let guardReplies = try MQTTClient(configuration: MQTTConfiguration(port: port, clientID: TestEnvironment.uniqueName("guards")), logger: logger)
        guardReplies.start()
        defer { guardReplies.shutdown() }

        let sent = Mutex<[UInt64]>(Array(repeating: 0, count: alarms))
        let alarmCount = alarms
        // Warm-up: the background load runs alone first, as in a daemon that has been up.
        let warmUp = 3.0
        let seconds = warmUp + Double(alarms) / 100 + 5
        let load = try bench.loadGenerator(
            ["--rate", "\(background)", "--count", "\(Int(Double(background) * seconds))", "--duration", "\(Int(seconds) + 1)"],
            sites: alarms, mix: "heartbeat=100")
        defer { _ = load.terminate() }
        let alarmThread = Thread {
            guard let publisher = try? MQTTClient(configuration: MQTTConfiguration(port: port, clientID: TestEnvironment.uniqueName("alarms")), logger: logger) else { return }
            publisher.start()
            usleep(UInt32(warmUp * 1_000_000))
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<alarmCount {
                let due = start + UInt64(i) * 10_000_000
                while DispatchTime.now().uptimeNanoseconds < due { usleep(200) }
                let topic: String
                let payload: [UInt8]
                if usePipeline {
                    topic = "propertywatch/v1/sites/s\(i)/alarms/smoke"
                    payload = Array(#"{"v":1,"site":"s\#(i)","device":"smoke","zone":"a","class":"fire","seq":1,"id":"f\#(i)","time":\#(BenchEnvironment.nowMilliseconds)}"#.utf8)
                } else {
                    topic = "bench/latency/\(i)"
                    payload = Array("\(i)".utf8)
                }
                sent.withLock { $0[i] = DispatchTime.now().uptimeNanoseconds }
                publisher.publish(topic: topic, payload: payload, qos: 1)
            }
            usleep(500_000)
            publisher.shutdown()
        }
        alarmThread.start()

        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var received = Set<Int>()
        let deadline = Date(timeIntervalSinceNow: Double(alarms) / 100 + 35)
        while received.count < alarms, Date() < deadline {
            guard let message = subscriber.next(timeout: 5) else { break }
            let arrived = DispatchTime.now().uptimeNanoseconds
            let index: Int?
            if usePipeline {
                guard let range = message.payload.range(of: #""site":"s"#) else { continue }
                index = Int(message.payload[range.upperBound...].prefix { $0.isNumber })
                if let unitEnd = message.topic.split(separator: "/").dropFirst(3).first, let incident = Self.field("incident", in: message.payload) {
                    let unit = String(unitEnd)
                    let now = BenchEnvironment.nowMilliseconds
                    for kind in ["accepted", "cleared"] {
                        let outcome = kind == "cleared" ? #","outcome":"false-alarm""# : ""
                        guardReplies.publish(
                            topic: "propertywatch/v1/units/\(unit)/replies",
                            payload: Array(#"{"v":1,"unit":"\#(unit)","incident":"\#(incident)","kind":"\#(kind)"\#(outcome),"time":\#(now)}"#.utf8), qos: 1)
                    }
                }
            } else {
                guard message.topic.hasPrefix("bench/latency/") else { continue }
                index = Int(message.topic.dropFirst("bench/latency/".count))
            }
            guard let i = index, i < alarms, received.insert(i).inserted else { continue }
            let start = sent.withLock { $0[i] }
            guard start > 0 else { continue }
            _ = histogram.record((arrived - start) / 1000)
        }
        return histogram
    }

    private static func field(_ name: String, in json: String) -> String? {
        guard let range = json.range(of: "\"\(name)\":\"") else { return nil }
        return String(json[range.upperBound...].prefix { $0 != "\"" })
    }
}
