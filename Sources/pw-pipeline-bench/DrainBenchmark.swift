import Foundation
import PropertyWatchTestSupport

/// (a) Drain a QoS 1 backlog: the pipeline (journaling with fsync, correlating) against
/// `mosquitto_sub -q 1 > /dev/null` on the same backlog in the same broker.
struct DrainBenchmark {
    let bench: BenchEnvironment
    let messages: Int
    let sites = 500
    /// Rounds of reference-then-pipeline, each on a fresh backlog: the reference alone varies
    /// by ±10 % from run to run here, so one round says little.
    let rounds = 3

    func run() throws {
        say("== drain: \(messages) QoS 1 messages queued for each subscriber, \(sites) sites (90% heartbeats, 10% alarms), \(rounds) rounds")
        var ratios: [Double] = []
        for round in 1...rounds {
            let subID = TestEnvironment.uniqueName("bench-sub")
            let pwID = TestEnvironment.uniqueName("bench-pw")
            let subSession = try ChildProcess("mosquitto_sub", ["-p", "\(bench.broker.port)", "-c", "-i", subID, "-q", "1", "-E",
                                                               "-t", "propertywatch/v1/sites/+/alarms/+", "-t", "propertywatch/v1/sites/+/heartbeats/+"])
            guard subSession.waitForExit() == 0 else { throw TestFailure("mosquitto_sub -E failed") }
            try bench.prepareSession(clientID: pwID)
            try bench.publishBacklog(messages, sites: sites)

            let reference = try bench.mosquittoSubDrain(clientID: subID, count: messages)
            let (seconds, stats) = try bench.pipelineDrain(clientID: pwID, count: messages, sites: sites)
            let refRate = Double(messages) / reference
            let rate = Double(messages) / seconds
            ratios.append(rate / refRate)
            say("round \(round): mosquitto_sub -q 1 > /dev/null \(format(refRate)) msg/s (\(String(format: "%.2f", reference)) s); "
                + "pipeline (journal fsync + correlate) \(format(rate)) msg/s (\(String(format: "%.2f", seconds)) s, \(stats.batches) group commits, \(stats.accepted) accepted, \(stats.rejectedTotal) rejected); ratio \(ratio(rate / refRate))")
        }
        let sorted = ratios.sorted()
        say("drain ratio pipeline / mosquitto_sub: median \(ratio(sorted[sorted.count / 2])) (rounds: \(ratios.map(ratio).joined(separator: ", ")))  (goal ≥ 1.00×)")
    }
}

/// (e) Group commit with `synchronous=FULL` against `OFF`, same backlog size.
struct SyncBenchmark {
    let bench: BenchEnvironment
    let messages: Int
    let sites = 500

    func run() throws {
        say("== sync: group commit with synchronous=FULL vs OFF, \(messages) messages each")
        var rates: [Bool: Double] = [:]
        for full in [false, true] {
            let id = TestEnvironment.uniqueName(full ? "bench-full" : "bench-off")
            try bench.prepareSession(clientID: id)
            try bench.publishBacklog(messages, sites: sites)
            let (seconds, stats) = try bench.pipelineDrain(clientID: id, count: messages, sites: sites, synchronousFull: full)
            rates[full] = Double(messages) / seconds
            say("synchronous=\(full ? "FULL" : "OFF "): \(format(rates[full]!)) msg/s, \(stats.batches) commits, \(messages / max(1, stats.batches)) msgs/commit")
        }
        say("FULL / OFF: \(ratio(rates[true]! / rates[false]!))")
    }
}
