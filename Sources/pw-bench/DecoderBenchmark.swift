import Foundation
import PropertyWatchCore

/// Decoding benchmark: the contract decoder (topic parsing, directory look-ups, strict JSON
/// validation, field checks, skew check) against Foundation's `JSONDecoder` decoding the same
/// payloads into an equivalent `Decodable` struct (JSON only, no validation), in one run.
enum DecoderBenchmark {
    /// The Foundation reference: the same fields, all checks left out.
    struct AlarmPayload: Decodable {
        var v: Int
        var site: String?
        var device: String?
        var zone: String?
        var `class`: String?
        var sia: String?
        var cid: String?
        var restore: Bool?
        var seq: UInt64
        var id: String
        var time: Int64
    }

    static let sites = 100
    static let devicesPerSite = 20
    static let corpusSize = 10_000
    static let rounds = 7

    static func run() {
        let now = Timestamp(millisecondsSinceEpoch: 1_764_100_000_000)
        let (decoder, topics, payloads) = corpus(now: now)
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
        let (decoder, topics, payloads) = corpus(now: now)
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

    /// 100 sites of 20 detectors; realistic alarm payloads (our class names, SIA and Contact ID).
    static func corpus(now: Timestamp) -> (MessageDecoder, [String], [[UInt8]]) {
        let zones = ["entre-norr", "korridor-plan-2", "gymnastiksal", "matsal", "kontor-rektor", "lastkaj"]
        var siteConfigurations: [SiteConfiguration] = []
        for s in 0..<sites {
            var devices: [DeviceConfiguration] = []
            for d in 0..<devicesPerSite {
                devices.append(DeviceConfiguration(id: DeviceID("pir-\(1000 + d)"), kind: .pir, zone: ZoneID(zones[d % zones.count])))
            }
            siteConfigurations.append(SiteConfiguration(
                id: SiteID("ub-skola-\(100 + s)"), name: "Skola \(s)", kind: .school, address: "Skolvägen \(s)",
                location: Coordinate(latitude: 59.5, longitude: 17.7),
                zones: zones.map { ZoneConfiguration(id: ZoneID($0), name: $0) }, devices: devices))
        }
        let decoder = MessageDecoder(directory: SiteDirectory(WatchConfiguration(sites: siteConfigurations)), limits: DecodingLimits())
        var topics: [String] = []
        var payloads: [[UInt8]] = []
        let classes = ["intrusion", "tamper", "fire", "open", "close", "trouble"]
        for i in 0..<corpusSize {
            let site = SiteID("ub-skola-\(100 + i % sites)")
            let device = DeviceID("pir-\(1000 + (i / sites) % devicesPerSite)")
            let time = now.millisecondsSinceEpoch - Int64(i % 5000)
            let code: String
            switch i % 10 {
            case 0, 1: code = #""sia":"\#(["BA", "BR", "TA", "OP", "CL"][i % 5])""#
            case 2: code = #""cid":"\#(["E130", "R130", "1401", "3401"][i % 4])""#
            default: code = #""class":"\#(classes[i % classes.count])","restore":\#(i % 7 == 0)"#
            }
            let payload = #"{"v":1,"site":"\#(site)","device":"\#(device)","zone":"\#(zones[i % zones.count])",\#(code),"seq":\#(100_000 + i),"id":"evt-\#(device)-\#(String(100_000_000 + i))","time":\#(time),"panel":"galaxy-flex-3-20","fw":"panel-os 4.2.17"}"#
            topics.append(Topic.alarm(site: site, device: device))
            payloads.append(Array(payload.utf8))
        }
        return (decoder, topics, payloads)
    }
}
