import PropertyWatchConfig
import PropertyWatchCore
import Testing

/// The example configuration, end to end: Frigate's own messages for Brohuset's cameras,
/// decoded through the mapping read from `upplands-bro.yaml`.
@Suite struct ExampleFrigateDecodingTests {
    /// 2026-11-26 02:13:20 Stockholm, a Thursday night.
    static let received = Timestamp(millisecondsSinceEpoch: 1_795_655_600_000)

    static func decoder() throws -> MessageDecoder {
        let watch = try ConfigurationLoader.load(path: ExampleConfigurationTests.examplePath).watch
        return MessageDecoder(directory: SiteDirectory(watch), limits: watch.decoding)
    }

    static func decode(_ decoder: MessageDecoder, _ topic: String, _ payload: String) -> DecodeResult {
        Array(payload.utf8).withUnsafeBytes { decoder.decode(topic: topic, payload: $0, receivedAt: received) }
    }

    static func camera(_ result: DecodeResult) -> CameraTrigger? {
        if case .message(.camera(let trigger)) = result { return trigger }
        return nil
    }

    /// A tracked object as Frigate's MQTT documentation shows it, two seconds before `received`.
    static func object(camera: String, label: String, score: String, currentZones: String, enteredZones: String) -> String {
        """
        {
          "id": "1795655597.975463-q7r2tb",
          "camera": "\(camera)",
          "frame_time": 1795655598.082975,
          "snapshot": {
            "frame_time": 1795655598.082975,
            "box": [415, 489, 528, 700],
            "area": 12728,
            "region": [260, 446, 660, 846],
            "score": 0.77546,
            "attributes": []
          },
          "label": "\(label)",
          "sub_label": null,
          "top_score": \(score),
          "false_positive": false,
          "start_time": 1795655597.975463,
          "end_time": null,
          "score": \(score),
          "box": [432, 496, 544, 854],
          "area": 40096,
          "ratio": 1.251397,
          "region": [218, 440, 693, 915],
          "current_zones": \(currentZones),
          "entered_zones": \(enteredZones),
          "thumbnail": null,
          "has_snapshot": true,
          "has_clip": false,
          "active": true,
          "stationary": false,
          "motionless_count": 0,
          "position_changes": 1,
          "attributes": {},
          "current_attributes": []
        }
        """
    }

    static func event(type: String = "new", camera: String = "brohuset_torget", label: String = "person", score: String = "0.87890625") -> String {
        """
        {
          "type": "\(type)",
          "before": \(object(camera: camera, label: label, score: score, currentZones: "[]", enteredZones: "[]")),
          "after": \(object(camera: camera, label: label, score: score,
                            currentZones: #"["torget_bankar"]"#, enteredZones: #"["torget_fontan", "torget_bankar", "parkering"]"#))
        }
        """
    }

    @Test func newPersonOnTorgetBecomesACameraTriggerAtBrohuset() throws {
        let decoder = try Self.decoder()
        let trigger = try #require(Self.camera(Self.decode(decoder, "frigate/events", Self.event())))
        #expect(trigger == CameraTrigger(
            site: "brohuset", camera: "cam-torget", zones: ["torget"], label: .person, score: 0.87890625,
            phase: .new, eventID: "1795655597.975463-q7r2tb",
            start: Timestamp(millisecondsSinceEpoch: 1_795_655_597_975), end: nil,
            snapshot: "http://127.0.0.1:5000/api/events/1795655597.975463-q7r2tb/snapshot.jpg"))
    }

    @Test func entranceCameraMapsBothOfItsZones() throws {
        let decoder = try Self.decoder()
        let payload = Self.event(camera: "brohuset_entre_torget")
            .replacingOccurrences(of: #"["torget_fontan", "torget_bankar", "parkering"]"#, with: #"["torget", "entre_torget"]"#)
        let trigger = try #require(Self.camera(Self.decode(decoder, "frigate/events", payload)))
        #expect(trigger.camera == "cam-entre-torget")
        #expect(trigger.zones == ["torget", "entre-torget"])
    }

    @Test func exampleThresholdsAndLabelsApply() throws {
        let decoder = try Self.decoder()
        let low = Self.decode(decoder, "frigate/events", Self.event(score: "0.55"))
        guard case .ignored(let reason) = low else { Issue.record("expected ignored, got \(low)"); return }
        #expect(reason.contains("below 0.6"))
        #expect(Self.camera(Self.decode(decoder, "frigate/events", Self.event(label: "dog")))?.label == .other)
        #expect(Self.camera(Self.decode(decoder, "frigate/events", Self.event(label: "car")))?.label == .vehicle)
        guard case .rejected(let rejection) = Self.decode(decoder, "frigate/events", Self.event(camera: "broskolan_entre")) else {
            Issue.record("an unmapped camera must be refused"); return
        }
        #expect(rejection.reason == .unknownDevice)
    }
}
