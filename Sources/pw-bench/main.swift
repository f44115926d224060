/// `swift run -c release pw-bench [decoder|correlation|all]`: in-process benchmarks of the
/// pure core, each printed as a ratio against a reference measured in the same run.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "decoder" || which == "all" { DecoderBenchmark.run() }
if which == "decoder-only" {
    DecoderBenchmark.profile(passes: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 30)
}
if which == "correlation" || which == "all" { CorrelationBenchmark.run() }
if which == "correlation-profile" {
    let args = CommandLine.arguments
    CorrelationBenchmark.profile(
        siteCount: args.count > 2 ? Int(args[2]) ?? 100 : 100, batch: args.count > 3 && args[3] == "batch",
        watch: args.count > 4 && args[4] == "watch")
}
