import Testing
@testable import PropertyWatchCore

@Suite struct RejectionTests {
    typealias F = ContractFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var topic: String = ContractFixtures.alarmTopic
        var payload: [UInt8]
        var reason: RejectionReason
        /// A fragment the detail must contain.
        var detail: String
        var testDescription: String { name }

        init(_ name: String, topic: String = ContractFixtures.alarmTopic, _ payload: String, _ reason: RejectionReason, _ detail: String) {
            self.init(name, topic: topic, bytes: Array(payload.utf8), reason, detail)
        }

        init(_ name: String, topic: String = ContractFixtures.alarmTopic, bytes: [UInt8], _ reason: RejectionReason, _ detail: String) {
            self.name = name
            self.topic = topic
            self.payload = bytes
            self.reason = reason
            self.detail = detail
        }
    }

    /// One case (at least) per rejection reason.
    static let everyReason: [Case] = [
        Case("unknown topic", topic: "propertywatch/v1/sites/brohuset/doors/d1", F.alarm(), .unknownTopic, "doors/d1"),
        Case("oversize", F.alarm(["note": "\"" + String(repeating: "x", count: 5000) + "\""]), .oversize, "> 4096"),
        Case("invalid UTF-8", bytes: Array(#"{"v":1,"id":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), .invalidUTF8, "byte 13"),
        Case("malformed JSON", #"{"v":1,"#, .malformedJSON, "end of payload"),
        Case("duplicate key", F.alarm(["seq2": "1"]).replacingOccurrences("seq2", "seq"), .duplicateKey, "\"seq\""),
        Case("missing field", F.alarm(["seq": nil]), .missingField, "seq"),
        Case("invalid field", F.alarm(["seq": "-1"]), .invalidField, "seq: expected a non-negative integer, found -1"),
        Case("unknown class", F.alarm(["class": "\"burglary\""]), .unknownCode, "class: \"burglary\""),
        Case("unknown site", topic: "propertywatch/v1/sites/nowhere/alarms/pir-12", F.alarm(["site": nil]), .unknownSite, "nowhere"),
        Case("unknown device", topic: "propertywatch/v1/sites/brohuset/alarms/pir-99", F.alarm(["device": nil]), .unknownDevice, "pir-99 at brohuset"),
        Case("unknown zone", F.alarm(["zone": "\"vind\""]), .unknownZone, "'vind' is not a zone of brohuset"),
        Case("unknown zone number", F.alarm(["zone": "99"]), .unknownZone, "no zone number 99 at brohuset"),
        Case("unknown partition", F.alarm(["partition": "9"]), .unknownPartition, "no partition number 9 at brohuset"),
        Case("unknown partition id", F.alarm(["partition": "\"vind\""]), .unknownPartition, "'vind' is not a partition"),
        Case("unknown user", F.alarm(["user": "99"]), .unknownUser, "no user number 99 at brohuset"),
        Case("unknown unit", topic: "propertywatch/v1/units/P9/status", #"{"v":1,"state":"available","time":1764100000000}"#, .unknownUnit, "P9"),
        Case("site mismatch", F.alarm(["site": "\"tibble-skola\""]), .topicMismatch, "site: \"tibble-skola\" in payload, \"brohuset\" in topic"),
        Case("device mismatch", F.alarm(["device": "\"panel-1\""]), .topicMismatch, "device"),
        Case("unit mismatch", topic: "propertywatch/v1/units/P1/status", #"{"v":1,"unit":"P2","state":"available","time":1764100000000}"#, .topicMismatch, "unit"),
        Case("clock ahead", F.alarm(["time": "\(F.now.millisecondsSinceEpoch + 660_000)"]), .clockSkew, "660 s ahead of"),
        Case("clock behind", topic: "propertywatch/v1/units/P1/status", #"{"v":1,"state":"available","time":1764099340000}"#, .clockSkew, "660 s behind"),
        Case("older than the late window", F.alarm(["time": "\(F.now.millisecondsSinceEpoch - 90_000_000)"]), .tooLate, "90000 s behind receive time"),
        Case("unknown check-in site", topic: "propertywatch/v1/units/P1/checkin", #"{"v":1,"site":"nowhere","method":"tag","time":1764100000000}"#, .unknownSite, "site: nowhere"),
    ]

    @Test(arguments: everyReason)
    func everyReasonIsReachable(c: Case) throws {
        let rejection = try #require(F.decode(c.topic, bytes: c.payload).rejection)
        #expect(rejection.reason == c.reason, "\(rejection)")
        #expect(rejection.detail.contains(c.detail), "\(rejection)")
    }

    @Test func theTableCoversEveryReason() {
        let covered = Set(Self.everyReason.map(\.reason))
        #expect(covered == Set(RejectionReason.allCases))
    }

    /// Hostile or merely wrong values; the decoder must refuse them precisely and never trap.
    static let hostile: [Case] = [
        Case("NaN", F.alarm(["seq": "NaN"]), .malformedJSON, "expected a value, found 'N'"),
        Case("Infinity", F.alarm(["seq": "Infinity"]), .malformedJSON, "found 'I'"),
        Case("-Infinity", F.alarm(["seq": "-Infinity"]), .malformedJSON, "invalid number"),
        Case("1e400 as seq", F.alarm(["seq": "1e400"]), .invalidField, "seq"),
        Case("huge integer", F.alarm(["seq": "99999999999999999999999"]), .invalidField, "seq: expected a non-negative integer"),
        Case("-0 seq", F.alarm(["seq": "-0"]), .invalidField, "found -0"),
        Case("fractional seq", F.alarm(["seq": "42.0"]), .invalidField, "seq"),
        Case("exponent seq", F.alarm(["seq": "1e2"]), .invalidField, "seq"),
        Case("leading zero", F.alarm(["seq": "042"]), .malformedJSON, "leading zero"),
        Case("plus sign", F.alarm(["seq": "+42"]), .malformedJSON, "found '+'"),
        Case("dot without digits", F.alarm(["seq": "1."]), .malformedJSON, "digit after '.'"),
        Case("time as float", F.alarm(["time": "1764100000000.5"]), .invalidField, "time: expected epoch milliseconds"),
        Case("negative time", F.alarm(["time": "-1"]), .invalidField, "time"),
        Case("huge time", F.alarm(["time": "9223372036854775807"]), .clockSkew, "time"),
        Case("bad RFC 3339", F.alarm(["time": "\"2025-02-30T00:00:00Z\""]), .invalidField, "RFC 3339"),
        Case("very long id", F.alarm(["id": "\"" + String(repeating: "a", count: 3000) + "\""]), .invalidField, "id: expected an identifier"),
        Case("empty id", F.alarm(["id": "\"\""]), .invalidField, "id"),
        Case("slash in id", F.alarm(["id": "\"a/b\""]), .invalidField, "id"),
        Case("escaped NUL in id", F.alarm(["id": "\"a\\u0000b\""]), .invalidField, "id"),
        Case("raw NUL in string", bytes: Array(F.alarm(["id": "\"a\u{0}b\""]).utf8), .malformedJSON, "control character 0x00"),
        Case("raw tab in string", F.alarm(["id": "\"a\tb\""]), .malformedJSON, "control character 0x09"),
        Case("deep nesting", F.alarm(["x": String(repeating: "[", count: 20) + String(repeating: "]", count: 20)]), .malformedJSON, "nesting deeper than 8"),
        Case("very deep nesting", String(repeating: "[", count: 3000), .malformedJSON, "nesting deeper than 8"),
        Case("BOM", bytes: [0xEF, 0xBB, 0xBF] + Array(F.alarm().utf8), .malformedJSON, "byte order mark"),
        Case("0xFF byte", bytes: Array(#"{"v":1,"id":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8), .invalidUTF8, "0xFF"),
        Case("overlong NUL", bytes: Array(#"{"v":1,"id":""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8), .invalidUTF8, "0xC0"),
        Case("UTF-8 surrogate", bytes: Array(#"{"v":1,"id":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8), .invalidUTF8, "byte"),
        Case("above U+10FFFF", bytes: Array(#"{"v":1,"id":""#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}"#.utf8), .invalidUTF8, "byte"),
        Case("truncated UTF-8", bytes: Array(#"{"v":1,"id":""#.utf8) + [0xE2, 0x82], .invalidUTF8, "truncated"),
        Case("Latin-1 outside string", bytes: Array(#"{"v":1,"#.utf8) + [0xE5], .malformedJSON, "byte 0xE5"),
        Case("lone high surrogate", F.alarm(["id": "\"\\uD800\""]), .malformedJSON, "lone high surrogate"),
        Case("lone low surrogate", F.alarm(["id": "\"\\uDC00x\""]), .malformedJSON, "lone low surrogate"),
        Case("high then non-low", F.alarm(["id": "\"\\uD800\\u0041\""]), .malformedJSON, "lone high surrogate"),
        Case("bad escape", F.alarm(["id": "\"a\\xb\""]), .malformedJSON, "invalid escape '\\x'"),
        Case("short unicode escape", F.alarm(["id": "\"\\u12\""]), .malformedJSON, "\\u escape"),
        Case("escaped duplicate key", F.alarm(["s\\u0065q": "1"]), .duplicateKey, "s\\u0065q"),
        Case("nested duplicate key", F.alarm(["extra": #"{"a":1,"b":[{"c":1,"c":2}]}"#]), .duplicateKey, "\"c\""),
        Case("seq as string", F.alarm(["seq": "\"42\""]), .invalidField, "seq: expected a non-negative integer, found \"42\""),
        Case("class as number", F.alarm(["class": "5"]), .invalidField, "class: expected a string, found 5"),
        Case("restore as string", F.alarm(["restore": "\"false\""]), .invalidField, "restore: expected true or false"),
        Case("time as bool", F.alarm(["time": "true"]), .invalidField, "time"),
        Case("zone as array", F.alarm(["zone": "[]"]), .invalidField, "zone: expected a string, found an array"),
        Case("id null", F.alarm(["id": "null"]), .invalidField, "id: expected a value, found null"),
        Case("version as string", F.alarm(["v": "\"1\""]), .invalidField, "v: expected contract version 1"),
        Case("version 2", F.alarm(["v": "2"]), .invalidField, "found 2"),
        Case("no version", F.alarm(["v": nil]), .missingField, "v"),
        Case("trailing garbage", F.alarm() + " x", .malformedJSON, "trailing data"),
        Case("two documents", F.alarm() + "{}", .malformedJSON, "trailing data"),
        Case("trailing comma", #"{"v":1,}"#, .malformedJSON, "expected an object key"),
        Case("single quotes", "{'v':1}", .malformedJSON, "expected an object key"),
        Case("comment", "{\"v\":1 // c\n}", .malformedJSON, "expected ',' or '}'"),
        Case("array root", "[1,2]", .malformedJSON, "not a JSON object"),
        Case("string root", "\"x\"", .malformedJSON, "not a JSON object"),
        Case("empty payload", "", .malformedJSON, "empty payload"),
        Case("only whitespace", " \n\t", .malformedJSON, "end of payload"),
        Case("unterminated string", #"{"v":1,"id":"abc"#, .malformedJSON, "unterminated string"),
        Case("bad literal", #"{"v":1,"restore":tru}"#, .malformedJSON, "invalid literal"),
        Case("missing colon", #"{"v" 1}"#, .malformedJSON, "expected ':'"),
        Case("too many members", F.alarm(["x": "{" + (0..<300).map { "\"k\($0)\":0" }.joined(separator: ",") + "}"]), .malformedJSON, "more than 256 members"),
        Case("long unknown code excerpt", F.alarm(["class": "\"" + String(repeating: "z", count: 200) + "\""]), .unknownCode, "…"),
    ]

    @Test(arguments: hostile)
    func hostileValues(c: Case) throws {
        let rejection = try #require(F.decode(c.topic, bytes: c.payload).rejection)
        #expect(rejection.reason == c.reason, "\(rejection)")
        #expect(rejection.detail.contains(c.detail), "\(rejection)")
        #expect(rejection.detail.count < 300)
    }

    @Test func acceptsWhatJSONAllows() throws {
        let spaced = " {\n\t\"v\" : 1 , \"class\":\"intrusion\",\"seq\":0,\"id\":\"\\u00e5\\uD83D\\uDE00\",\"time\":1764100000000,\"x\":[1.5e-3,-2E+2,0,-0.0,true,false,null,{}],\"y\":{\"a\":{\"a\":1}}}\r\n"
        let event = try #require(F.decode(F.alarmTopic, spaced).alarm)
        #expect(event.eventID == "å😀")
        #expect(event.sequence == 0)
    }

    @Test func everyTruncationIsRefusedWithoutTrapping() {
        let payload = Array(F.alarm(["note": "\"å\\u00e5\\n\""]).utf8)
        for length in 0..<payload.count {
            let result = F.decode(F.alarmTopic, bytes: Array(payload[0..<length]))
            #expect(result.rejection != nil, "length \(length)")
        }
        #expect(F.decode(F.alarmTopic, bytes: payload).alarm != nil)
    }

    @Test func mutatedPayloadsNeverTrap() {
        var rng = SplitMix64(seed: 0x5EED)
        let bases = [F.alarm(), F.alarm(["class": nil, "cid": "\"E130\"", "note": "\"å\\u00e5\""])].map { Array($0.utf8) }
        let interesting: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x2D, 0x30, 0x39, 0x65, 0x2E, 0x80, 0xC3, 0xED, 0xF4, 0xFF, 0x75]
        var accepted = 0
        for i in 0..<20_000 {
            var bytes = bases[i % bases.count]
            for _ in 0...(rng.next() % 3) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[position] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                }
            }
            if F.decode(F.alarmTopic, bytes: bytes).alarm != nil { accepted += 1 }
        }
        #expect(accepted < 20_000)
    }
}

/// A deterministic generator for the mutation test.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
