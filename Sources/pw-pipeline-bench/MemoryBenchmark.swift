import Foundation
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport

/// (d) Resident memory of the pipeline over a run of `messages` events, in two shapes:
/// live (the pipeline subscribed while `pw-sim load` publishes as fast as the broker takes)
/// and a backlog (all of it queued at the broker first, then drained). Flat means bounded by
/// the inbox, the outbox window and the core's state, not by how many events went through.
struct MemoryBenchmark {
    let bench: BenchEnvironment
    let messages: Int
    let sites = 1000

    func run() throws {
        say("== memory: \(messages) events through the pipeline, \(sites) sites")
        try live()
        try backlog()
    }

    private func live() throws {
        let id = TestEnvironment.uniqueName("bench-mem-live")
        let before = BenchEnvironment.residentKiB()
        let sampler = ResidentSampler()
        var load: ChildProcess?
        let (seconds, stats) = try bench.pipelineDrain(clientID: id, count: messages, sites: sites, sampler: sampler) {
            load = try bench.publishBacklog(messages, sites: sites, wait: false)
        }
        _ = load?.waitForExit()
        report("live", before: before, seconds: seconds, commits: stats.batches, sampler: sampler)
    }

    private func backlog() throws {
        let id = TestEnvironment.uniqueName("bench-mem")
        try bench.prepareSession(clientID: id)
        let before = BenchEnvironment.residentKiB()
        try bench.publishBacklog(messages, sites: sites)
        say("backlog of \(messages) at the broker; RSS before draining: \(BenchEnvironment.residentKiB() / 1024) MiB (before publishing: \(before / 1024) MiB)")
        let sampler = ResidentSampler()
        let (seconds, stats) = try bench.pipelineDrain(clientID: id, count: messages, sites: sites, sampler: sampler)
        report("backlog", before: before, seconds: seconds, commits: stats.batches, sampler: sampler)
    }

    private func report(_ name: String, before: Int, seconds: Double, commits: Int, sampler: ResidentSampler) {
        let samples = sampler.stop()
        let tenth = max(1, samples.count / 10)
        let deciles = stride(from: 0, to: samples.count, by: tenth).map { (samples[$0..<min(samples.count, $0 + tenth)].map(\.rss).max() ?? 0) / 1024 }
        let heap = samples.map(\.anonymous)
        let first = samples.prefix(max(1, samples.count / 4)).map(\.rss).max() ?? 0
        let last = samples.suffix(max(1, samples.count / 4)).map(\.rss).max() ?? 0
        say("\(name): \(messages) events in \(String(format: "%.1f", seconds)) s (\(format(Double(messages) / seconds)) msg/s, \(commits) commits)")
        say("\(name): RSS max per tenth of the run (MiB): \(deciles.map(String.init).joined(separator: " ")); anonymous (heap) first/last quarter max: \((heap.prefix(max(1, heap.count / 4)).max() ?? 0) / 1024) / \((heap.suffix(max(1, heap.count / 4)).max() ?? 0) / 1024) MiB")
        say("\(name): RSS growth last / first quarter: \(ratio(Double(last) / Double(max(1, first))))  (flat ≈ 1.00×)")
    }
}

/// Samples this process's resident memory every 50 ms on its own thread.
final class ResidentSampler: @unchecked Sendable {
    struct Sample {
        var rss: Int
        var anonymous: Int
    }

    private let lock = NSLock()
    private var samples: [Sample] = []
    private var running = true

    func start() {
        Thread { [self] in
            while lock.withLock({ running }) {
                let sample = Sample(rss: BenchEnvironment.statusKiB("VmRSS"), anonymous: BenchEnvironment.statusKiB("RssAnon"))
                lock.withLock { samples.append(sample) }
                usleep(50_000)
            }
        }.start()
    }

    func stop() -> [Sample] {
        lock.withLock {
            running = false
            return samples
        }
    }
}
