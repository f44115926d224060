import Foundation
import PropertyWatchTestSupport

/// (d) Resident memory while the pipeline drains a large backlog: bounded by the inbox and
/// the core's state, not by the backlog (the broker holds it).
struct MemoryBenchmark {
    let bench: BenchEnvironment
    let messages: Int
    let sites = 1000

    func run() throws {
        say("== memory: \(messages) messages through the pipeline, \(sites) sites")
        let id = TestEnvironment.uniqueName("bench-mem")
        try bench.prepareSession(clientID: id)
        let before = BenchEnvironment.residentKiB()
        try bench.publishBacklog(messages, sites: sites)
        let afterPublish = BenchEnvironment.residentKiB()
        let sampler = ResidentSampler()
        sampler.start()
        let (seconds, stats) = try bench.pipelineDrain(clientID: id, count: messages, sites: sites)
        let samples = sampler.stop()
        say("RSS before: \(before / 1024) MiB, after publishing the backlog: \(afterPublish / 1024) MiB")
        let quarter = max(1, samples.count / 4)
        let firstQuarter = samples.prefix(quarter).max() ?? 0
        let lastQuarter = samples.suffix(quarter).max() ?? 0
        say("RSS while draining (\(messages) msgs in \(String(format: "%.1f", seconds)) s, \(stats.batches) commits): max first quarter \(firstQuarter / 1024) MiB, max last quarter \(lastQuarter / 1024) MiB, peak \((samples.max() ?? 0) / 1024) MiB")
        say("growth last/first quarter: \(ratio(Double(lastQuarter) / Double(max(1, firstQuarter))))  (flat ≈ 1.00×)")
    }
}

/// Samples this process's resident memory every 50 ms on its own thread.
final class ResidentSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [Int] = []
    private var running = true

    func start() {
        Thread { [self] in
            while lock.withLock({ running }) {
                let rss = BenchEnvironment.residentKiB()
                lock.withLock { samples.append(rss) }
                usleep(50_000)
            }
        }.start()
    }

    func stop() -> [Int] {
        lock.withLock {
            running = false
            return samples
        }
    }
}
