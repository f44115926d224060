import Benchmark
import Foundation
import PropertyWatchBenchmarkSupport
import PropertyWatchCore

/// In-process benchmarks of the pure core (ordo-one/benchmark): decoding against Foundation's
/// `JSONDecoder` on the same corpus, and correlation at 100, 10k and 100k sites. Every figure
/// is per message (`scalingFactor: .kilo`, 1,000 messages per sample). The ratios the issues
/// ask for are printed by `pw-bench`, from the same workloads.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000)

    let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)
    let (decoder, topics, payloads) = DecoderCorpus.make(now: now)
    let data = payloads.map { Data($0) }

    Benchmark("decode alarm: MessageDecoder") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            let result = payloads[i].withUnsafeBytes { decoder.decode(topic: topics[i], payload: $0, receivedAt: now) }
            blackHole(result)
            i = i + 1 == payloads.count ? 0 : i + 1
        }
    }

    Benchmark("decode alarm: Foundation JSONDecoder (reference)") { benchmark in
        let json = JSONDecoder()
        var i = 0
        for _ in benchmark.scaledIterations {
            blackHole(try? json.decode(DecoderCorpus.AlarmPayload.self, from: data[i]))
            i = i + 1 == data.count ? 0 : i + 1
        }
    }

    for sites in [100, 10_000, 100_000] {
        let night = CorrelationNight(sites: sites)
        Benchmark("correlate: engine, batched, \(sites) sites") { benchmark in
            let chunk = night.nextChunk(benchmark.scaledIterations.count)
            benchmark.startMeasurement()
            blackHole(night.engine!.handle(batch: chunk))
            benchmark.stopMeasurement()
        }
        let watchNight = CorrelationNight(sites: sites, watch: true)
        Benchmark("correlate: watch (engine + dispatch), batched, \(sites) sites") { benchmark in
            let chunk = watchNight.nextChunk(benchmark.scaledIterations.count)
            benchmark.startMeasurement()
            blackHole(watchNight.watch!.handle(batch: chunk))
            benchmark.stopMeasurement()
        }
    }
}

/// One night of the correlation workload, carried across samples (state builds up as in a
/// real night). Built on first use, outside any measurement.
final class CorrelationNight: @unchecked Sendable {
    // Safe: the benchmark runner calls a benchmark's closure from one thread at a time.
    let sites: Int
    private var generator: CorrelationWorkload.Generator
    /// Stored (not computed) so that `engine!.handle(…)` mutates in place: a copy would make
    /// every sample copy the whole state.
    var engine: CorrelationEngine?
    var watch: Watch?

    private let composed: Bool

    /// - Parameter watch: drive a `Watch` (engine and dispatch) rather than the engine alone.
    init(sites: Int, watch: Bool = false) {
        self.sites = sites
        composed = watch
        generator = CorrelationWorkload.Generator(siteCount: sites)
    }

    func nextChunk(_ count: Int) -> [(InboundMessage, Timestamp)] {
        build()
        return (0..<count).map { _ in generator.next() }
    }

    private func build() {
        guard engine == nil, watch == nil else { return }
        let directory = CorrelationWorkload.directory(siteCount: sites)
        let start = Timestamp(millisecondsSinceEpoch: generator.now)
        if composed {
            watch = Watch(directory: directory)
            _ = watch!.tick(now: start)
        } else {
            engine = CorrelationEngine(directory: directory, schedule: CorrelationWorkload.NightSchedule())
            _ = engine!.tick(now: start)
        }
    }
}
