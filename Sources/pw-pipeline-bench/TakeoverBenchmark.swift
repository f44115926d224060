import Foundation
import PropertyWatchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// (f) Takeover of an active/standby pair: two real `propertywatchd` processes (built next to
/// this binary) on the private broker. Each run starts a fresh pair, lets alarms flow, then
/// fails the active and fires a new fire alarm at once; the takeover time is from the failure
/// to that alarm's guard request, which only the new active can publish.
///
/// Two failures: `kill` (SIGKILL: the socket closes, the broker publishes the active's last
/// will at once, the standby claims and waits its settle time) and `hang` (SIGSTOP: nothing
/// is closed; the standby waits out the whole silence). Prints p50/p99 of each against the
/// configured silence, in the same run.
struct TakeoverBenchmark {
    let bench: BenchEnvironment
    let runs: Int
    let silenceSeconds: Double

    func run() throws {
        say("== takeover: \(runs) runs per failure, ha.silence_seconds \(silenceSeconds) (renew \(format(silenceSeconds / 3)) s, settle \(format(silenceSeconds / 3)) s)")
        for failure in ["kill", "hang"] {
            var times: [Double] = []
            var duplicates = 0
            for run in 1...runs {
                let (seconds, dups) = try once(failure: failure, run: run)
                times.append(seconds)
                duplicates += dups
            }
            times.sort()
            func at(_ p: Double) -> Double { times[min(times.count - 1, Int((p / 100 * Double(times.count)).rounded(.up)) - 1)] }
            say("takeover after \(failure): n=\(times.count) p50=\(format(at(50))) s p99=\(format(at(99))) s max=\(format(times.last ?? 0)) s; p50/silence=\(format(at(50) / silenceSeconds)); duplicate guard requests: \(duplicates)")
        }
    }

    private func once(failure: String, run: Int) throws -> (Double, Int) {
        let daemon = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("propertywatchd").path
        let pair = try StandbyPairFixture(broker: bench.broker, silenceSeconds: silenceSeconds, executable: daemon)
        let recorder = try PairRecorder(pair)
        let a = try pair.start("a")
        defer { _ = a.terminate(SIGKILL) }
        guard recorder.waitForActive("a", timeout: 4 * silenceSeconds + 10) != nil else { throw TestFailure("run \(run): a never became active") }
        let b = try pair.start("b")
        defer { _ = b.terminate() }
        guard recorder.wait(timeout: 4 * silenceSeconds + 10, for: { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" }) != nil else {
            throw TestFailure("run \(run): b never reported standby")
        }
        let publisher = try TestPublisher(port: bench.broker.port)
        // Alarms flow: repeated fires at four sites, each incident dispatched by a.
        for seq in 1...50 {
            for site in StandbyPairFixture.sites.prefix(4) {
                let (topic, payload) = StandbyPairFixture.fire(site: site, seq: seq)
                publisher.client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
            }
        }
        recorder.wait(timeout: 10) { _ in recorder.dispatchedSites.count >= 4 }
        let failedAt = Date()
        a.send(failure == "kill" ? SIGKILL : SIGSTOP)
        let site = StandbyPairFixture.sites.last!
        let (topic, payload) = StandbyPairFixture.fire(site: site, seq: 1)
        publisher.client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
        guard let request = recorder.wait(timeout: 4 * silenceSeconds + 10, for: { $0.topic.hasSuffix("/requests") && $0.object["site"] as? String == site }) else {
            throw TestFailure("run \(run): no guard request for \(site) after the \(failure)")
        }
        let seconds = request.at.timeIntervalSince(failedAt)
        recorder.settle(0.3)
        let duplicates = recorder.requestCounts.values.filter { $0 > 1 }.count
        if failure == "hang" { a.send(SIGCONT) }
        return (seconds, duplicates)
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
