/// Correlation engine benchmark: events per second and per-event cost at 100 and 100k sites.
enum CorrelationBenchmark {
    static func run() { print("correlation benchmark: not written yet") }
}
