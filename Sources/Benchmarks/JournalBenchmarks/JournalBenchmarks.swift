import Benchmark
import Foundation
import PropertyWatchPipeline

/// In-process benchmarks of the journal's group commit (ordo-one/benchmark): 1,000 alarm
/// events per transaction, the batch size the pipeline reaches under load, with
/// `synchronous=FULL` (what the daemon runs) and `OFF` (the reference without fsync). Figures
/// are per event (`scalingFactor: .kilo`); one sample is one commit.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .syscalls, .peakMemoryResident],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000)

    for full in [true, false] {
        let store = JournalUnderTest(synchronousFull: full)
        Benchmark("journal group commit of 1,000 events, synchronous=\(full ? "FULL" : "OFF")") { benchmark in
            let journal = store.journal
            benchmark.startMeasurement()
            store.commit(events: benchmark.scaledIterations.count, into: journal)
            benchmark.stopMeasurement()
        }
    }
}

/// A journal in a temporary directory, opened on first use, and the events written to it.
final class JournalUnderTest: @unchecked Sendable {
    // Safe: the benchmark runner calls a benchmark's closure from one thread at a time.
    let synchronousFull: Bool
    private var opened: Journal?
    private var sequence = 0
    private let topic = Array("propertywatch/v1/sites/ub-broskolan/alarms/pir-1042".utf8)

    init(synchronousFull: Bool) {
        self.synchronousFull = synchronousFull
    }

    var journal: Journal {
        if let opened { return opened }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-journal-bench-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let journal = try! Journal(path: directory.appendingPathComponent("journal.sqlite").path, synchronousFull: synchronousFull)
        opened = journal
        return journal
    }

    func commit(events: Int, into journal: Journal) {
        try! journal.commit { tx in
            for _ in 0..<events {
                sequence += 1
                let payload = Array(#"{"v":1,"site":"ub-broskolan","device":"pir-1042","zone":"korridor-plan-2","class":"intrusion","seq":\#(sequence),"id":"evt-\#(sequence)","time":1764100000000}"#.utf8)
                try topic.withUnsafeBytes { t in
                    try payload.withUnsafeBytes { p in
                        try tx.insertEvent(receivedAt: 1_764_100_000_000, topic: t, payload: p, site: "ub-broskolan", device: "pir-1042", sequence: Int64(sequence))
                    }
                }
            }
        }
    }
}
