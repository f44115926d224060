/// `swift run -c release pw-bench [decoder|correlation|all]`: in-process benchmarks of the
/// pure core, each printed as a ratio against a reference measured in the same run.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "decoder" || which == "all" { DecoderBenchmark.run() }
if which == "decoder-only" {
    DecoderBenchmark.profile(passes: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 30)
}
if which == "correlation" || which == "all" { CorrelationBenchmark.run() }
