import Foundation
import PropertyWatchBenchmarkSupport
import PropertyWatchCore

/// Decoding benchmark: the contract decoder (topic parsing, directory look-ups, strict JSON
/// validation, field checks, skew check) against Foundation's `JSONDecoder` decoding the same
/// payloads into an equivalent `Decodable` struct (JSON only, no validation), in one run.
enum DecoderBenchmark {
    typealias AlarmPayload = DecoderCorpus.AlarmPayload
    static let rounds = 7

    static func run() {
        let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)
        let (decoder, topics, payloads) = DecoderCorpus.make(now: now)
        let data = payloads.map { Data($0) }
        let averageBytes = payloads.reduce(0) { $0 + $1.count } / payloads.count
        print("decoder benchmark: \(payloads.count) alarm payloads, \(averageBytes) bytes on average, best of \(rounds) rounds")

        // Everything must decode, both ways, before timing.
        var accepted = 0
        for i in payloads.indices {
            let result = payloads[i].withUnsafeBytes { decoder.decode(topic: topics[i], payload: $0, receivedAt: now) }
            if case .message = result { accepted += 1 } else { print("  unexpected: \(result)") }
        }
        let json = JSONDecoder()
        precondition((try? data.map { try json.decode(AlarmPayload.self, from: $0) }) != nil)
        precondition(accepted == payloads.count)

        let ours = best {
            var count = 0
            for i in payloads.indices {
                let result = payloads[i].withUnsafeBytes { decoder.decode(topic: topics[i], payload: $0, receivedAt: now) }
                if case .message = result { count += 1 }
            }
            return count
        }
        let foundation = best {
            var count = 0
            for d in data {
                if let p = try? json.decode(AlarmPayload.self, from: d), p.seq != UInt64.max { count += 1 }
            }
            return count
        }
        let topicOnly = best { topics.reduce(0) { InboundTopic(parsing: $1) != nil ? $0 + 1 : $0 } }
        let parsed = topics.compactMap { InboundTopic(parsing: $0) }
        let lookupOnly = best {
            parsed.reduce(0) {
                if case .alarm(let site, let device) = $1, decoder.directory.device(device, at: site) != nil { return $0 + 1 }
                return $0
            }
        }
        let oursRate = Double(payloads.count) / ours
        let foundationRate = Double(payloads.count) / foundation
        print("  MessageDecoder:      \(format(oursRate)) events/s (\(format(ours / Double(payloads.count) * 1e9)) ns/event)")
        print("    of which topic parsing \(format(topicOnly / Double(payloads.count) * 1e9)) ns, directory look-up \(format(lookupOnly / Double(payloads.count) * 1e9)) ns")
        print("  Foundation JSONDecoder: \(format(foundationRate)) events/s (\(format(foundation / Double(payloads.count) * 1e9)) ns/event)")
        print("  ratio: \(String(format: "%.1f", oursRate / foundationRate))x (goal >= 10x)")
    }

    /// Only the contract decoder, for a profiler: `passes` passes over the corpus per round.
    static func profile(passes: Int) {
        let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)
        let (decoder, topics, payloads) = DecoderCorpus.make(now: now)
        let seconds = best {
            var count = 0
            for _ in 0..<passes {
                for i in payloads.indices {
                    let result = payloads[i].withUnsafeBytes { decoder.decode(topic: topics[i], payload: $0, receivedAt: now) }
                    if case .message = result { count += 1 }
                }
            }
            return count
        }
        print("MessageDecoder only: \(format(seconds / Double(passes * payloads.count) * 1e9)) ns/event")
    }

    /// The best wall time of `rounds` runs of `body`, in seconds.
    static func best(_ body: () -> Int) -> Double {
        let clock = ContinuousClock()
        var bestSeconds = Double.infinity
        var sink = 0
        for _ in 0..<rounds {
            let elapsed = clock.measure { sink &+= body() }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bestSeconds = min(bestSeconds, seconds)
        }
        if sink == 42 { print("") }
        return bestSeconds
    }

    static func format(_ value: Double) -> String {
        value >= 1000 ? String(Int(value.rounded())).reversed().enumerated()
            .map { $0.offset > 0 && $0.offset % 3 == 0 ? "\($0.element)_" : "\($0.element)" }.reversed().joined()
            : String(format: "%.0f", value)
    }
}
