import Testing
@testable import PropertyWatchCore

/// Events a device buffered during an outage arrive with their original times: behind the
/// receive time by more than the clock-skew limit but within the late window they are
/// accepted and marked late; older, or ahead beyond the skew, they are refused.
@Suite struct LateWindowTests {
    typealias F = ContractFixtures

    static func behind(_ seconds: Int64) -> String {
        F.alarm(["time": "\(F.now.millisecondsSinceEpoch - seconds * 1000)"])
    }

    @Test(arguments: [
        (Int64(0), false), (Int64(600), false), (Int64(601), true), (Int64(47 * 60), true), (Int64(24 * 3600), true),
    ] as [(Int64, Bool)])
    func behindWithinTheWindowIsAcceptedAndMarked(seconds: Int64, late: Bool) throws {
        let event = try #require(F.decode(F.alarmTopic, Self.behind(seconds)).alarm)
        #expect(event.late == late)
        #expect(event.deviceTime.millisecondsSinceEpoch == F.now.millisecondsSinceEpoch - seconds * 1000)
    }

    @Test func theFastPathAndTheGeneralPathAgree() {
        for seconds: Int64 in [0, 601, 3600, 86_400, 86_401] {
            let (fast, general, _) = AlarmFastPathTests.compare(F.alarmTopic, Array(Self.behind(seconds).utf8))
            #expect(fast == general, "\(seconds) s behind")
        }
    }

    @Test func olderThanTheWindowIsTooLate() throws {
        let rejection = try #require(F.decode(F.alarmTopic, Self.behind(24 * 3600 + 1)).rejection)
        #expect(rejection.reason == .tooLate)
        #expect(rejection.detail.contains("older than the late window (max 86400 s)"))
    }

    @Test func aheadBeyondTheSkewIsStillRefused() throws {
        let payload = F.alarm(["time": "\(F.now.millisecondsSinceEpoch + 601_000)"])
        #expect(F.decode(F.alarmTopic, payload).rejection?.reason == .clockSkew)
    }

    @Test func withoutAWindowBehindIsClockSkew() throws {
        let decoder = MessageDecoder(directory: SiteDirectory(F.configuration), limits: DecodingLimits(lateWindow: Milliseconds(0)))
        let bytes = Array(Self.behind(3600).utf8)
        let result = bytes.withUnsafeBytes { decoder.decode(topic: F.alarmTopic, payload: $0, receivedAt: F.now) }
        #expect(result.rejection?.reason == .clockSkew)
    }

    @Test func aBufferedHeartbeatIsAccepted() {
        let topic = "propertywatch/v1/sites/brohuset/heartbeats/pir-12"
        let old = F.now.millisecondsSinceEpoch - 3_600_000
        let payload = #"{"v":1,"site":"brohuset","device":"pir-12","time":\#(old)}"#
        #expect(F.decode(topic, payload).message != nil)
        let ancient = #"{"v":1,"site":"brohuset","device":"pir-12","time":\#(old - 86_400_000)}"#
        #expect(F.decode(topic, ancient).rejection?.reason == .tooLate)
    }

    @Test func patrolMessagesKeepTheSkewLimit() {
        let payload = #"{"v":1,"state":"available","time":\#(F.now.millisecondsSinceEpoch - 3_600_000)}"#
        #expect(F.decode("propertywatch/v1/units/P1/status", payload).rejection?.reason == .clockSkew)
    }
}
