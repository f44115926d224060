import Testing
@testable import PropertyWatchCore

/// `decode(topicBytes:…)`, what the pipeline calls with the broker's bytes, agrees with
/// `decode(topic:…)` on every kind of topic: configured site topics (resolved from the bytes),
/// and everything that falls to the general path (other kinds, unknown sites and devices,
/// patrol and Frigate topics, malformed and hostile topics).
@Suite struct TopicBytesDecodingTests {
    typealias F = ContractFixtures

    static let topics = [
        F.alarmTopic,
        "propertywatch/v1/sites/brohuset/alarms/panel-1",
        "propertywatch/v1/sites/brohuset/heartbeats/pir-12",
        "propertywatch/v1/sites/brohuset/cameras/pir-12",
        "propertywatch/v1/sites/brohuset/alarms/nobody",
        "propertywatch/v1/sites/nowhere/alarms/pir-12",
        "propertywatch/v1/sites/brohuset/alarms/pir-12/extra",
        "propertywatch/v1/sites/brohuset/doors/pir-12",
        "propertywatch/v1/sites//alarms/pir-12",
        "propertywatch/v1/units/P1/position",
        "frigate/events",
        "frigate/reviews",
        "", "/", "propertywatch/v1/sites/", "påståenden/åäö", "propertywatch/v1/sites/brohuset/alarms/\u{0}",
    ]

    @Test(arguments: topics)
    func bytesAndTextAgree(topic: String) {
        for payload in [F.alarm(), "{}", "not json", #"{"v":1,"time":1764100000000}"#] {
            let bytes = Array(payload.utf8)
            let byText = bytes.withUnsafeBytes { F.decoder.decode(topic: topic, payload: $0, receivedAt: F.now) }
            let byBytes = Array(topic.utf8).withUnsafeBytes { t in
                bytes.withUnsafeBytes { F.decoder.decode(topicBytes: t, payload: $0, receivedAt: F.now) }
            }
            #expect(byText == byBytes, "\(topic) \(payload)")
        }
    }
}
