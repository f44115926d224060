/// `swift run -c release pw-pipeline-bench [drain|live|sync|latency|memory|restart|all|takeover]`: end-to-end
/// benchmarks of the pipeline (MQTT client → decode → journal → correlate → publish, the same
/// code as the daemon) against a private Mosquitto on loopback. Each prints a ratio against a
/// reference measured in the same run (`mosquitto_sub`, or plain publish → subscribe).
import Foundation
import Logging

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = ProcessInfo.processInfo.environment["PW_BENCH_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
    return handler
}

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: "--\(name)"), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}

do {
    if which == "restart" || which == "all" {
        // No broker: the journal is written directly.
        try RestartBenchmark(largeEvents: option("events", 5_000_000), sites: option("sites", 13)).run()
        try RestartBenchmark.snapshotCost(sites: 13)
        try RestartBenchmark.snapshotCost(sites: 1000)
        if which == "restart" { exit(0) }
    }
    let bench = try BenchEnvironment()
    if which == "drain" || which == "all" { try DrainBenchmark(bench: bench, messages: option("messages", 100_000)).run() }
    if which == "live" || which == "all" { try LiveLoadBenchmark(bench: bench, messages: option("messages", 100_000)).run() }
    if which == "sync" || which == "all" { try SyncBenchmark(bench: bench, messages: option("messages", 50_000)).run() }
    if which == "latency" || which == "all" { try LatencyBenchmark(bench: bench, alarms: option("alarms", 2_000), rate: arguments.contains("--rate") ? option("rate", 0) : nil).run() }
    if which == "memory" || which == "all" { try MemoryBenchmark(bench: bench, messages: option("messages", 1_000_000)).run() }
    // Not in `all`: it runs two daemons per run, for tens of seconds.
    if which == "takeover" { try TakeoverBenchmark(bench: bench, runs: option("runs", 20), silenceSeconds: Double(option("silence-ms", 6_000)) / 1000).run() }
} catch {
    say("pw-pipeline-bench: \(error)")
    exit(1)
}
