import Foundation
import PropertyWatchConfig
import PropertyWatchCore
import Testing
@testable import PropertyWatchDC09

@Suite struct DC09ConfigurationTests {
    /// Ten lines of site, then `dc09:` at line 11.
    static let base = """
        sites:
          - id: s1
            name: Skolan
            kind: school
            address: Skolvägen 1
            location: {lat: 59.5, lon: 17.6}
            zones:
              - {id: korridor, name: Korridor}
            devices:
              - {id: panel, kind: panel}
        dc09:
        """

    @Test func defaultsAndAnAccount() throws {
        let c = try ConfigurationLoader.parse(yaml: Self.base + "\n  accounts:\n    - {account: \"12AB\", site: s1, device: panel, key_file: /k}", file: "t.yaml")
        let d = try #require(c.dc09)
        #expect(d.tcpListen == ["0.0.0.0:9500"] && d.windowPastSeconds == 40 && d.windowFutureSeconds == 20)
        #expect(d.unknownAccount == .duh && d.badFrame == .none && d.ackTimeoutSeconds == 10)
        #expect(d.accounts.map(\.account) == ["12AB"] && d.accounts[0].line == 13)
        #expect(try ConfigurationLoader.parse(yaml: String(Self.base.dropLast(6)), file: "t.yaml").dc09 == nil)
    }

    static let broken: [(String, String, Int?, String)] = [
        ("  acounts: []", "dc09.acounts", 12, "did you mean 'accounts'?"),
        ("  tcp_listen: 9500\n  accounts: []", "dc09.tcp_listen", 12, "'9500' is not host:port"),
        ("  bad_frame: duh\n  accounts: []", "dc09.bad_frame", 12, "'duh' is not one of none, nak"),
        ("  accounts:\n    - {account: \"12\", site: s1, device: panel, allow_unencrypted: true}", "dc09.accounts[0].account", 13, "is not an account"),
        ("  accounts:\n    - {account: \"12ab\", site: s1, device: panel, allow_unencrypted: true}", "dc09.accounts[0].account", 13, "is not an account"),
        ("  accounts:\n    - {account: \"1234\", site: s2, device: panel, allow_unencrypted: true}", "dc09.accounts[0].site", 13, "no site 's2'"),
        ("  accounts:\n    - {account: \"1234\", site: s1, device: pir, allow_unencrypted: true}", "dc09.accounts[0].device", 13, "no device 'pir' at site 's1'"),
        ("  accounts:\n    - {account: \"1234\", site: s1, device: panel}", "dc09.accounts[0]", 13, "needs key_file, or allow_unencrypted: true"),
        ("  accounts:\n    - {account: \"1234\", site: s1, device: panel, key_file: /k, supervision_category: SP7}", "dc09.accounts[0].supervision_category", 13, "'SP7' is not one of"),
        ("  accounts:\n    - {account: \"1234\", site: s1, device: panel, key: abc}", "dc09.accounts[0].key", 13, "unknown key 'key'"),
        ("  accounts:\n    - {account: \"1234\", site: s1, device: panel, key_file: /k}\n    - {account: \"1234\", site: s1, device: panel, key_file: /k}",
         "dc09.accounts[1]", 14, "account '1234' is listed twice"),
    ]

    @Test(arguments: broken)
    func brokenSectionsAreReportedWithFileLineAndKey(_ yaml: String, _ key: String, _ line: Int?, _ reason: String) {
        let problems = ConfigurationLoader.validate(yaml: Self.base + "\n" + yaml, file: "t.yaml").filter { $0.severity == .error }
        #expect(problems.contains { $0.key == key && $0.line == line && $0.reason.contains(reason) }, "\(problems)")
    }

    @Test func aPanelWithoutAcknowledgementsCannotBeAnAccount() {
        let yaml = Self.base.replacingOccurrences(of: "{id: panel, kind: panel}", with: "{id: panel, kind: panel, acknowledgements: false}")
            + "\n  accounts:\n    - {account: \"1234\", site: s1, device: panel, allow_unencrypted: true}"
        let problems = ConfigurationLoader.validate(yaml: yaml, file: "t.yaml")
        #expect(problems.contains { $0.key == "dc09.accounts[0].device" && $0.reason.contains("acknowledgements: false") })
    }

    @Test func aSupervisionCategoryFasterThanTheDevicesHeartbeatIsAWarning() {
        let slow = Self.base.replacingOccurrences(of: "{id: panel, kind: panel}", with: "{id: panel, kind: panel, heartbeat_seconds: 600}")
            + "\n  accounts:\n    - {account: \"1234\", site: s1, device: panel, key_file: /k, supervision_category: DP3}"
        let problems = ConfigurationLoader.validate(yaml: slow, file: "t.yaml")
        #expect(problems.contains { $0.severity == .warning && $0.key == "dc09.accounts[0].supervision_category" && $0.reason.contains("600") })
        let none = Self.base + "\n  accounts:\n    - {account: \"1234\", site: s1, device: panel, key_file: /k, supervision_category: DP3}"
        #expect(ConfigurationLoader.validate(yaml: none, file: "t.yaml").contains { $0.severity == .warning && $0.reason.contains("no heartbeat_seconds") })
        let fine = slow.replacingOccurrences(of: "heartbeat_seconds: 600", with: "heartbeat_seconds: 120")
        #expect(ConfigurationLoader.validate(yaml: fine, file: "t.yaml").isEmpty)
    }

    @Test func theExampleConfigurationHasAValidDC09Section() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/config/upplands-bro.yaml").path
        let c = try ConfigurationLoader.load(path: path)
        #expect(c.dc09?.accounts.first?.supervisionSeconds == 180)
    }

    @Test func keyFileText() {
        #expect(DC09Account.parseKey("000102030405060708090a0b0c0d0e0f\n") == .success(Array(0..<16)))
        #expect(DC09Account.parseKey(String(repeating: "ab", count: 24)).map(\.count) == .success(24))
        #expect(DC09Account.parseKey("0001") == .failure(.badLength(4)))
        #expect(DC09Account.parseKey(String(repeating: "zz", count: 16)) == .failure(.notHex))
    }
}

@Suite struct DC09EdgeLogicTests {
    @Test func acknowledgementsAreReadFromTheDaemonsMessage() {
        let ack = DC09Acknowledgement.parse(topic: "propertywatch/v1/sites/skola/acks/panel-1",
                                            payload: Array(#"{"v":1,"site":"skola","device":"panel-1","seq":43,"seqs":[42,43],"time":1}"#.utf8))
        #expect(ack == DC09Acknowledgement(site: "skola", device: "panel-1", sequences: [42, 43]))
        #expect(DC09Acknowledgement.parse(topic: "propertywatch/v1/sites/skola/alarms/panel-1", payload: Array(#"{"seqs":[1]}"#.utf8)) == nil)
        #expect(DC09Acknowledgement.parse(topic: "propertywatch/v1/sites/skola/acks/p", payload: Array(#"{"seqs":[1,"#.utf8)) == nil)
        #expect(DC09Acknowledgement.parse(topic: "propertywatch/v1/sites/skola/acks/p", payload: Array(#"{"seqs":[99999999999999999999]}"#.utf8)) == nil)
    }

    @Test func theRateLimiterRefillsAtItsRateAndKeepsSourcesApart() {
        var limiter = DC09RateLimiter(rate: 2, burst: 3)
        var seen: [Bool] = []
        for (source, now) in [("a", 0), ("a", 0), ("a", 0), ("a", 0), ("b", 0), ("a", 400), ("a", 500), ("a", 500)] {
            seen.append(limiter.admit(source, now: Int64(now)))
        }
        #expect(seen == [true, true, true, false, true, false, true, false])
        _ = limiter.admit("c", now: 120_000)
        #expect(limiter.sourceCount == 1)
    }

    @Test func statisticsCountRepliesLatencyAndSupervision() {
        var s = DC09Statistics(supervision: ["1234": 180, "5678": 90])
        s.record(DC09Outcome(reply: .ack, account: "1234", latencyMilliseconds: 20), now: 1_000_000)
        s.record(DC09Outcome(reply: .none, account: nil, reason: "bad-crc"), now: 1_000_000)
        s.record(DC09Outcome(reply: .nak, account: "1234", reason: "time-window"), now: 1_000_000)
        #expect(s.faults(now: 1_100_000, start: 1_000_000) == ["5678"])
        #expect(s.faults(now: 1_200_000, start: 1_000_000) == ["1234", "5678"])
        let text = s.prometheus(now: 1_100_000, start: 1_000_000)
        for line in [
            #"pw_dc09_frames_total{reply="ack"} 1"#, #"pw_dc09_frames_total{reply="none"} 1"#, #"pw_dc09_refusals_total{reason="bad-crc"} 1"#,
            #"pw_dc09_ack_latency_seconds_bucket{le="0.025"} 1"#, #"pw_dc09_ack_latency_seconds_bucket{le="0.01"} 0"#,
            #"pw_dc09_last_message_timestamp_seconds{account="1234"} 1000.0"#, #"pw_dc09_supervision_fault{account="5678"} 1"#,
            "pw_dc09_accounts_in_supervision_fault 1",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
    }

    @Test func aSessionHoldsAtMostMaxWaitingFramesAndCountsRefusedOnes() throws {
        let gateway = try testGateway()
        var s = DC09Session(maxFrameBytes: 1024, ackTimeoutMilliseconds: 5000)
        s.maxWaiting = 2
        let frames = (1...3).flatMap { frame("\"NULL\"000\($0)R1L0#1234[]") }
        let actions = s.receive(frames, gateway: gateway, now: noon, random: { [] })
        #expect(s.waitingCount == 2)
        #expect(actions.contains(.outcome(DC09Outcome(reply: .none, account: nil, reason: "too-many-waiting", detail: "2 frames already wait for the daemon"))))
        let limited = s.receive(frame("\"NULL\"0009R1L0#1234[]"), gateway: gateway, now: noon, random: { [] }, admit: { "rate-limited" })
        #expect(limited == [.outcome(DC09Outcome(reply: .none, account: nil, reason: "rate-limited", detail: "frame not read"))])
    }
}
