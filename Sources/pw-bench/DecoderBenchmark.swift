/// Decoding benchmark: the contract decoder against Foundation's `JSONDecoder`.
enum DecoderBenchmark {
    static func run() { print("decoder benchmark: not written yet") }
}
