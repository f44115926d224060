import Foundation
import Logging
import PropertyWatchCore
import PropertyWatchMQTT
import PropertyWatchPipeline
import PropertyWatchTestSupport
import SimulatorKit

/// (e) Time to READY (open the journal + `Pipeline.recover`) with journals of 10 k and of
/// `largeEvents` heartbeats (a few per second, as a municipality's night and day), restored
/// from a snapshot and replaying a tail of `tail` rows, against a full replay of the same
/// journal measured in the same run. With snapshots the ratio large/small should stay near 1;
/// the full replay grows with the journal. Also the cost of taking a snapshot (encode + store,
/// encoded size) at 13 and 1,000 sites. No broker: rows are inserted straight into SQLite.
struct RestartBenchmark {
    let largeEvents: Int
    let sites: Int
    let tail = 1_000
    let logger = Logger(label: "bench.restart")

    /// A clock stopped just after the journal's last row, so recovery fires no timers that a
    /// real restart minutes later would not fire too, the same for every journal.
    struct FixedClock: WatchClock {
        let time: Timestamp
        func now() -> Timestamp? { time }
    }

    struct Sink: OutboundPublisher {
        func publish(topic: String, payload: [UInt8], qos: Int32, retain: Bool, confirmationToken: Int64?) {}
        func takeConfirmations() -> [Int64] { [] }
        var queuedReliable: Int { 0 }
    }

    struct Result {
        var build: Double
        var full: Double
        var restored: Double
        var tailRows: Int
        var snapshotMicros: Int
        var snapshotBytes: Int
    }

    static let start = StockholmTime.resolve(LocalDate(year: 2026, month: 9, day: 1), LocalTime(hour: 0))
    /// Heartbeats round-robin over every device, each device heard every 20 s (13 sites: about
    /// three a second; 1,000 sites: 250 a second), so no device falls silent.
    var spacing: Int64 { max(1, 20_000 / Int64(sites * 5)) }

    func run() throws {
        say("== restart: time to READY (open journal + recover), \(sites) sites, tail of \(tail) rows after the snapshot")
        let small = try measure(events: 10_000)
        let large = try measure(events: largeEvents)
        say("restart: ratio \(largeEvents)/10000 events: with snapshot \(ratio(large.restored / small.restored)) (flat ≈ 1.00×), full replay \(ratio(large.full / small.full))")
        say("restart: at \(largeEvents) events, with snapshot / full replay: \(ratio(large.restored / large.full))")
    }

    /// The cost of one snapshot at `sites` sites after a day of heartbeats.
    static func snapshotCost(sites: Int) throws {
        let bench = RestartBenchmark(largeEvents: 0, sites: sites)
        let configuration = SyntheticMunicipality.configuration(sites: sites)
        let started = DispatchTime.now().uptimeNanoseconds
        let fingerprint = ConfigurationFingerprint.of(configuration)
        let fingerprintMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        let result = try bench.measure(events: max(10_000, sites * 5 * 30), quiet: true)
        say("snapshot cost at \(sites) sites: encode + store \(String(format: "%.1f", Double(result.snapshotMicros) / 1000)) ms, \(result.snapshotBytes / 1024) KiB; configuration fingerprint \(String(format: "%.1f", fingerprintMs)) ms (\(fingerprint.prefix(8))…, once per start)")
    }

    func measure(events: Int, quiet: Bool = false) throws -> Result {
        let configuration = SyntheticMunicipality.configuration(sites: sites)
        let directory = TestEnvironment.temporaryDirectory("pw-bench-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("journal.sqlite").path
        var clock = FixedClock(time: Self.start)

        // The journal: `events` heartbeats in transactions of 50 k rows.
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            let journal = try Journal(path: path, synchronousFull: false)
            clock = FixedClock(time: try insert(events, from: 0, into: journal, configuration: configuration))
        }
        let build = seconds(since: t0)

        // Full replay (snapshots off), then a snapshot of the state it rebuilt, then the tail.
        var full = 0.0
        var snapshotMicros = 0
        var snapshotBytes = 0
        do {
            let t = DispatchTime.now().uptimeNanoseconds
            let journal = try Journal(path: path, synchronousFull: false)
            let pipeline = try pipeline(configuration, journal, clock, snapshots: SnapshotPolicy(everyEvents: 0))
            _ = try pipeline.recover()
            full = seconds(since: t)
            guard pipeline.takeSnapshot() else { throw TestFailure("the snapshot was not taken") }
            let stats = pipeline.statistics.snapshot
            snapshotMicros = stats.lastSnapshotMicroseconds
            snapshotBytes = stats.lastSnapshotBytes
            clock = FixedClock(time: try insert(tail, from: events, into: journal, configuration: configuration))
        }

        // Restart with the snapshot: only the tail is replayed. The median of 5 restarts (each
        // journals its own start, so the tail grows by a row each time).
        var times: [Double] = []
        var recoverTimes: [Double] = []
        var report: Pipeline.RecoveryReport?
        for _ in 0..<5 {
            let t1 = DispatchTime.now().uptimeNanoseconds
            let journal = try Journal(path: path, synchronousFull: false)
            let restoredPipeline = try pipeline(configuration, journal, clock, snapshots: SnapshotPolicy())
            let t2 = DispatchTime.now().uptimeNanoseconds
            let recovery = try restoredPipeline.recover()
            times.append(seconds(since: t1))
            recoverTimes.append(seconds(since: t2))
            guard recovery.snapshotPosition != nil else { throw TestFailure("the snapshot was not used") }
            report = report ?? recovery
        }
        let restored = times.sorted()[times.count / 2]
        let recoverOnly = recoverTimes.sorted()[recoverTimes.count / 2]
        guard let report else { throw TestFailure("no restart") }
        if !quiet {
            say("restart: \(events) events: journal built in \(String(format: "%.1f", build)) s; to READY: full replay \(String(format: "%.3f", full)) s, with snapshot \(String(format: "%.3f", restored)) s (median of 5, of which recover() \(String(format: "%.3f", recoverOnly)) s; \(report.replayedRows) rows replayed); snapshot \(snapshotBytes / 1024) KiB in \(String(format: "%.1f", Double(snapshotMicros) / 1000)) ms")
        }
        return Result(build: build, full: full, restored: restored, tailRows: report.replayedRows, snapshotMicros: snapshotMicros, snapshotBytes: snapshotBytes)
    }

    private func pipeline(_ configuration: WatchConfiguration, _ journal: Journal, _ clock: FixedClock, snapshots: SnapshotPolicy) throws -> Pipeline {
        let inbox = try MQTTInbox.make(batchCount: 2, messages: 16, bytes: 1 << 16)
        return Pipeline(
            configuration: configuration, journal: journal, inbox: inbox, publisher: Sink(), clock: clock,
            logger: logger, snapshots: snapshots)
    }

    /// Inserts heartbeats `from..<from+count` (round-robin over every device, `spacing` apart);
    /// returns the time just after the last.
    private func insert(_ count: Int, from: Int, into journal: Journal, configuration: WatchConfiguration) throws -> Timestamp {
        let devices = configuration.sites.flatMap { site in site.devices.map { (site.id, $0.id) } }
        let topics = devices.map { Array(Topic.heartbeat(site: $0.0, device: $0.1).utf8) }
        var i = from
        while i < from + count {
            let end = min(from + count, i + 50_000)
            try journal.commit { tx in
                while i < end {
                    let d = i % devices.count
                    let time = Self.start + Milliseconds(Int64(i) * spacing)
                    let payload = MessageEncoder.heartbeat(Heartbeat(site: devices[d].0, device: devices[d].1, deviceTime: time))
                    try topics[d].withUnsafeBytes { topic in
                        try payload.withUnsafeBytes { p in
                            try tx.insertEvent(
                                receivedAt: time.millisecondsSinceEpoch, topic: topic, payload: p,
                                site: devices[d].0.rawValue, device: devices[d].1.rawValue, sequence: nil)
                        }
                    }
                    i += 1
                }
            }
        }
        return Self.start + Milliseconds(Int64(from + count) * spacing + 1)
    }

    private func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
