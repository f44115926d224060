import Testing
@testable import PropertyWatchCore

/// The alarm fast path (`AlarmPayloadScanner` + `MessageDecoder.fastAlarm`) must give exactly
/// the general path's result on every payload it takes, and leave every other one to it.
@Suite struct AlarmFastPathTests {
    typealias F = ContractFixtures

    static let panelTopic = "propertywatch/v1/sites/brohuset/alarms/panel-1"

    /// The result with and without the fast path, and whether the fast path took the payload.
    static func compare(_ topic: String, _ bytes: [UInt8]) -> (fast: DecodeResult, general: DecodeResult, taken: Bool) {
        bytes.withUnsafeBytes { payload in
            let fast = F.decoder.decode(topic: topic, payload: payload, receivedAt: F.now, fastAlarms: true)
            let general = F.decoder.decode(topic: topic, payload: payload, receivedAt: F.now, fastAlarms: false)
            let device = topic == panelTopic ? "panel-1" : "pir-12"
            var site = "brohuset", name = device
            let taken = site.withUTF8 { s in
                name.withUTF8 { d in
                    let siteBytes = UnsafeRawBufferPointer(s), deviceBytes = UnsafeRawBufferPointer(d)
                    guard let entry = F.decoder.directory.devices.find(site: siteBytes, device: deviceBytes) else { return false }
                    return F.decoder.fastAlarm(payload, site: siteBytes, device: deviceBytes, entry: entry, receivedAt: F.now) != nil
                }
            }
            return (fast, general, taken)
        }
    }

    @Test func takesTheStandardAlarms() {
        for payload in [
            F.alarm(), F.alarm(["class": nil, "restore": nil, "sia": "\"BR\""]), F.alarm(["class": nil, "cid": "\"1401\""]),
            F.alarm(["zone": "\"gym\"", "panel": "\"galaxy-flex\"", "fw": "\"4.2 – Skolvägen\""]),
            F.alarm(["time": "\"2025-11-25T20:46:40+01:00\"", "class": "\"trouble\"", "trouble": "\"low-battery\""]),
            " {\n\t\"v\" : 1 , \"class\":\"fire\",\"seq\":0,\"id\":\"å\",\"time\":1764100000000,\"x\":-0.5e+3,\"y\":null} ",
        ] {
            let (fast, general, taken) = Self.compare(F.alarmTopic, Array(payload.utf8))
            #expect(taken, "\(payload)")
            #expect(fast == general, "\(payload)")
            #expect(fast.alarm != nil, "\(payload)")
        }
    }

    @Test func leavesEscapesNestingAndErrorsToTheGeneralPath() {
        for payload in [
            F.alarm(["id": "\"e\\u0076t\""]), F.alarm(["x": "{}"]), F.alarm(["x": "[1]"]), F.alarm(["seq": "-1"]),
            F.alarm(["seq2": "1"]).replacingOccurrences("seq2", "seq"), F.alarm(["x": "1", "y": "2"]).replacingOccurrences("\"y\"", "\"x\""),
            F.alarm(["time": "\(F.now.millisecondsSinceEpoch + 600_001)"]), F.alarm(["zone": "\"a/b\""]), F.alarm() + " x",
            String(F.alarm().dropLast()) + ",\"v\":1}", String(F.alarm().dropLast()) + ",\"id\":\"e\"}",
        ] {
            let (fast, general, taken) = Self.compare(F.alarmTopic, Array(payload.utf8))
            #expect(!taken, "\(payload)")
            #expect(fast == general, "\(payload)")
        }
    }

    /// Members and values the generator draws from: the valid one first, then edge cases.
    static let members: [(String, [String])] = [
        ("v", ["1", "2", "1.0", "-1", "\"1\"", "null", "01", "1e0", "10"]),
        ("site", ["\"brohuset\"", "\"tibble-skola\"", "null", "1", "\"bro\\u0068uset\"", "\"brohuset \"", "\"\""]),
        ("device", ["\"pir-12\"", "\"panel-1\"", "null", "true", "\"pir-1\"", "\"pir-12\\u0000\""]),
        ("zone", [
            "\"korridor\"", "\"gym\"", "\"entre\"", "\"okänd-zon\"", "\"a/b\"", "\"a+b\"", "\"a#b\"", "\"\"", "null", "[]",
            "\"kor\\u0072idor\"", "\"x\u{7F}\"", "\"" + String(repeating: "z", count: 64) + "\"",
            "\"" + String(repeating: "z", count: 65) + "\"",
        ]),
        ("class", ["\"intrusion\"", "\"trouble\"", "\"fire\"", "\"hold-up\"", "\"burglary\"", "\"Intrusion\"", "null", "5", "\"tr\\u006fuble\"", "\"\""]),
        ("sia", ["\"BA\"", "\"BR\"", "\"YT\"", "\"BT\"", "\"ZZ\"", "\"ba\"", "\"B\\u0041\"", "null", "\"BAA\"", "1"]),
        ("cid", ["\"E130\"", "\"3130\"", "\"1401\"", "\"R401\"", "\"E140\"", "\"E999\"", "\"E13\"", "null", "\"E1\\u00330\"", "1130", "\"E13 \""]),
        ("restore", ["false", "true", "null", "\"false\"", "0", "nul"]),
        ("trouble", ["\"low-battery\"", "\"general\"", "\"sequence-gap\"", "\"bad\"", "null", "1", "\"low-batter\\u0079\""]),
        ("seq", [
            "42", "0", "9223372036854775807", "9223372036854775808", "99999999999999999999", "18446744073709551616",
            "10000000000000000000", "-0", "-1", "1.5", "1e3", "\"42\"", "null", "042", "1E2", "4.", "-",
        ]),
        ("id", [
            "\"evt-1\"", "\"\"", "\"a/b\"", "\"a+b\"", "\"#\"", "\"å-ä\"", "\"" + String(repeating: "a", count: 64) + "\"",
            "\"" + String(repeating: "a", count: 65) + "\"", "null", "7", "\"e\\u0076t\"", "\"x\u{7F}\"", "\"😀\"",
        ]),
        ("time", [
            "1764100000000", "1764099400000", "1764100600000", "1764099399999", "1764100600001",
            "\"2025-11-25T19:46:40.250Z\"", "\"2025-11-25T20:46:40+01:00\"", "\"2025-11-25t19:46:40z\"", "\"2025-02-30T00:00:00Z\"",
            "\"2025-11-25T19:46:40Z\\u0020\"", "\"2025-11-25T19:46:40\"", "-1", "1764100000000.5", "true", "null",
            "9223372036854775807", "-9223372036854775808", "0",
        ]),
    ]

    static let extraKeys = ["panel", "fw", "note", "x", "", "é", "v\\u0031", "se\\u0071", "Site", "sites", "times", "ids"]
    static let extraValues = [
        "\"galaxy\"", "\"Skolvägen 2\"", "\"a\\nb\"", "1.5e-3", "-0", "0", "true", "false", "null", "{}", "[1,2]",
        "{\"a\":{\"a\":1}}", "\"\\uD83D\\uDE00\"", "\"\u{7F}\"", "-", "1.", "01", "tru", "\"\u{1}\"", "\"\u{E000}\"",
    ]

    static func generated(_ rng: inout SplitMix64) -> String {
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        var fields: [(String, String)] = []
        for (key, values) in members {
            let roll = rng.next() % 100
            let skipByDefault = (key == "sia" || key == "cid" || key == "trouble") ? roll < 85 : roll < 5
            if skipByDefault { continue }
            fields.append((key, roll < 94 ? values[0] : pick(values)))
        }
        for _ in 0..<(rng.next() % 4) { fields.append((pick(extraKeys), pick(extraValues))) }
        if rng.next() % 20 == 0, let member = fields.randomElement(using: &rng) { fields.append(member) }
        if rng.next() % 3 == 0 { fields.shuffle(using: &rng) }
        let spaces = [" ", "\n", "\t", "\r", ""]
        func space() -> String { rng.next() % 8 == 0 ? pick(spaces) : "" }
        let body = fields.map { "\(space())\"\($0.0)\"\(space()):\(space())\($0.1)\(space())" }.joined(separator: ",")
        return space() + "{" + body + "}" + space()
    }

    @Test func generatedPayloadsGiveTheSameResultBothWays() {
        var rng = SplitMix64(seed: 0xA1A2)
        var taken = 0, accepted = 0, mismatches = 0
        for i in 0..<40_000 {
            let payload = Self.generated(&rng)
            let topic = i % 4 == 0 ? Self.panelTopic : F.alarmTopic
            let (fast, general, wasTaken) = Self.compare(topic, Array(payload.utf8))
            if fast != general {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(payload)\nfast: \(fast)\ngeneral: \(general)") }
            }
            if wasTaken {
                taken += 1
                #expect(general.alarm != nil, "\(payload)")
            }
            if general.alarm != nil { accepted += 1 }
        }
        #expect(mismatches == 0)
        #expect(taken > 3_500, "the fast path must see plenty of work: \(taken)")
        #expect(accepted - taken < accepted / 2, "and take most accepted alarms: \(taken) of \(accepted)")
    }

    @Test func mutatedPayloadsGiveTheSameResultBothWays() {
        var rng = SplitMix64(seed: 0xB0B0)
        let bases = [
            F.alarm(), F.alarm(["class": nil, "restore": nil, "cid": "\"E130\"", "note": "\"åäö\"", "zone": "\"gym\""]),
            F.alarm(["class": nil, "restore": "true", "sia": "\"BR\"", "time": "\"2025-11-25T19:46:40.250Z\"", "x": "-1.5e3"]),
        ].map { Array($0.utf8) }
        let interesting: [UInt8] = [0x00, 0x20, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x2D, 0x30, 0x31, 0x39, 0x65, 0x2E, 0x2F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF, 0x75]
        var taken = 0
        for i in 0..<40_000 {
            var bytes = bases[i % bases.count]
            for _ in 0...(rng.next() % 3) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[position] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                }
                if bytes.isEmpty { break }
            }
            let (fast, general, wasTaken) = Self.compare(F.alarmTopic, bytes)
            #expect(fast == general, "\(bytes)")
            if wasTaken { taken += 1 }
        }
        #expect(taken > 1_000)
    }

    @Test func everyTruncationGivesTheSameResultBothWays() {
        let payload = Array(F.alarm(["note": "\"åä\"", "x": "-12.5e-1"]).utf8)
        for length in 0...payload.count {
            let (fast, general, _) = Self.compare(F.alarmTopic, Array(payload[0..<length]))
            #expect(fast == general, "length \(length)")
        }
    }
}

extension SplitMix64: RandomNumberGenerator {}
