import Testing
@testable import PropertyWatchCore

/// Cases built from the examples on Frigate's MQTT documentation page (comments removed).
@Suite struct FrigateAdapterTests {
    typealias F = ContractFixtures

    static let eventTime = Timestamp(millisecondsSinceEpoch: 1_607_123_962_083)
    static let reviewTime = Timestamp(millisecondsSinceEpoch: 1_718_987_130_000)

    /// `frigate/events`, as documented (with `snapshot`, `sub_label`, attributes and speed fields).
    static func event(
        type: String = "update", camera: String = "front_door", label: String = "person", topScore: String = "0.958984375",
        falsePositive: String = "false", endTime: String = "null", hasSnapshot: String = "false"
    ) -> String {
        let object = { (frameTime: String, score: String, zones: String) in
            """
            {
              "id": "1607123955.475377-mxklsc",
              "camera": "\(camera)",
              "frame_time": \(frameTime),
              "snapshot": {
                "frame_time": 1607123965.975463,
                "box": [415, 489, 528, 700],
                "area": 12728,
                "region": [260, 446, 660, 846],
                "score": 0.77546,
                "attributes": []
              },
              "label": "\(label)",
              "sub_label": ["John Smith", 0.79],
              "top_score": \(topScore),
              "false_positive": \(falsePositive),
              "start_time": 1607123955.475377,
              "end_time": \(endTime),
              "score": \(score),
              "box": [432, 496, 544, 854],
              "area": 40096,
              "ratio": 1.251397,
              "region": [218, 440, 693, 915],
              "current_zones": \(zones),
              "entered_zones": ["yard", "driveway"],
              "thumbnail": null,
              "has_snapshot": \(hasSnapshot),
              "has_clip": false,
              "active": true,
              "stationary": false,
              "motionless_count": 0,
              "position_changes": 2,
              "attributes": {
                "face": 0.86
              },
              "current_attributes": [
                {
                  "label": "face",
                  "box": [442, 506, 534, 524],
                  "score": 0.86
                }
              ],
              "current_estimated_speed": 0.77,
              "average_estimated_speed": 14.31,
              "velocity_angle": 180,
              "recognized_license_plate": "ABC12345",
              "recognized_license_plate_score": 0.933451
            }
            """
        }
        return """
            {
              "type": "\(type)",
              "before": \(object("1607123961.837752", "0.7890625", #"["driveway"]"#)),
              "after": \(object("1607123962.082975", "0.87890625", #"["yard", "driveway"]"#))
            }
            """
    }

    /// `frigate/reviews`, as documented.
    static func review(severity: String = "alert", objects: String = #"["person", "car"]"#, camera: String = "front_cam") -> String {
        """
        {
          "type": "update",
          "before": {
            "id": "1718987129.308396-fqk5ka",
            "camera": "\(camera)",
            "start_time": 1718987129.308396,
            "end_time": null,
            "severity": "detection",
            "thumb_path": "/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp",
            "data": {
              "detections": [
                "1718987128.947436-g92ztx",
                "1718987148.879516-d7oq7r",
                "1718987126.934663-q5ywpt"
              ],
              "objects": ["person", "car"],
              "sub_labels": [],
              "zones": [],
              "audio": []
            }
          },
          "after": {
            "id": "1718987129.308396-fqk5ka",
            "camera": "\(camera)",
            "start_time": 1718987129.308396,
            "end_time": null,
            "severity": "\(severity)",
            "thumb_path": "/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp",
            "data": {
              "detections": [
                "1718987128.947436-g92ztx",
                "1718987148.879516-d7oq7r",
                "1718987126.934663-q5ywpt"
              ],
              "objects": \(objects),
              "sub_labels": ["Bob"],
              "zones": ["front_yard"],
              "audio": []
            }
          }
        }
        """
    }

    @Test func documentedEventMapsToACameraTrigger() throws {
        let trigger = try #require(F.decode("frigate/events", Self.event(), at: Self.eventTime).camera)
        #expect(trigger == CameraTrigger(
            site: "brohuset", camera: "cam-2", zones: ["yard", "entre"], label: .person, score: 0.958984375,
            phase: .update, eventID: "1607123955.475377-mxklsc",
            start: Timestamp(millisecondsSinceEpoch: 1_607_123_955_475), end: nil, snapshot: nil))
    }

    @Test(arguments: ["new", "update", "end"])
    func phases(type: String) throws {
        let end = type == "end" ? "1607123962.0" : "null"
        let trigger = try #require(F.decode("frigate/events", Self.event(type: type, endTime: end), at: Self.eventTime).camera)
        #expect(trigger.phase.rawValue == type)
        #expect(trigger.end == (type == "end" ? Timestamp(millisecondsSinceEpoch: 1_607_123_962_000) : nil))
    }

    @Test func snapshotLinkWhenFrigateHasOne() throws {
        let trigger = try #require(F.decode("frigate/events", Self.event(hasSnapshot: "true"), at: Self.eventTime).camera)
        #expect(trigger.snapshot == "http://frigate.local:5000/api/events/1607123955.475377-mxklsc/snapshot.jpg")
    }

    @Test(arguments: [("car", ObjectLabel.vehicle), ("truck", .vehicle), ("motorcycle", .vehicle), ("bicycle", .vehicle), ("bus", .vehicle), ("dog", .other)])
    func labels(frigate: String, label: ObjectLabel) throws {
        let trigger = try #require(F.decode("frigate/events", Self.event(label: frigate), at: Self.eventTime).camera)
        #expect(trigger.label == label)
    }

    @Test func ignoredEvents() throws {
        let cat = F.decode("frigate/events", Self.event(label: "cat"), at: Self.eventTime)
        #expect(cat.ignoredReason == "frigate label \"cat\" not mapped")
        let falsePositive = F.decode("frigate/events", Self.event(falsePositive: "true"), at: Self.eventTime)
        #expect(falsePositive.ignoredReason?.contains("false positive") == true)
        let lowScore = F.decode("frigate/events", Self.event(topScore: "0.55"), at: Self.eventTime)
        #expect(lowScore.ignoredReason?.contains("below 0.6") == true)
    }

    @Test func unmappedOrUnconfiguredCameras() throws {
        let unmapped = try #require(F.decode("frigate/events", Self.event(camera: "back_yard"), at: Self.eventTime).rejection)
        #expect(unmapped == Rejection(.unknownDevice, "frigate camera \"back_yard\" not mapped"))
        let unconfigured = try #require(F.decode("frigate/events", Self.event(camera: "ghost_cam"), at: Self.eventTime).rejection)
        #expect(unconfigured.reason == .unknownDevice)
        #expect(unconfigured.detail == "cam-99 at brohuset")
    }

    @Test func frigateTimesAreCheckedForSkew() throws {
        let rejection = try #require(F.decode("frigate/events", Self.event(type: "new"), at: F.now).rejection)
        #expect(rejection.reason == .clockSkew)
        #expect(rejection.detail.hasPrefix("after.start"))
    }

    @Test func malformedFrigateFields() throws {
        let noAfter = try #require(F.decode("frigate/events", #"{"type":"new","before":{}}"#, at: Self.eventTime).rejection)
        #expect(noAfter == Rejection(.missingField, "after"))
        let badType = try #require(F.decode("frigate/events", Self.event(type: "gone"), at: Self.eventTime).rejection)
        #expect(badType.detail == "type: expected one of new, update, end, found \"gone\"")
        let badScore = try #require(F.decode("frigate/events", Self.event(topScore: "1.5"), at: Self.eventTime).rejection)
        #expect(badScore.detail.hasPrefix("after.top_score"))
    }

    @Test func documentedReviewMapsToACameraTrigger() throws {
        let trigger = try #require(F.decode("frigate/reviews", Self.review(), at: Self.reviewTime).camera)
        #expect(trigger == CameraTrigger(
            site: "brohuset", camera: "cam-3", zones: ["gym"], label: .person, score: 1, phase: .update,
            eventID: "review:1718987129.308396-fqk5ka", start: Timestamp(millisecondsSinceEpoch: 1_718_987_129_308),
            snapshot: "/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp"))
    }

    @Test func reviewLabelsAndSeverity() throws {
        let cars = try #require(F.decode("frigate/reviews", Self.review(objects: #"["cat", "car"]"#), at: Self.reviewTime).camera)
        #expect(cars.label == .vehicle)
        let cats = F.decode("frigate/reviews", Self.review(objects: #"["cat"]"#), at: Self.reviewTime)
        #expect(cats.ignoredReason?.contains("no mapped object label") == true)
        let detection = F.decode("frigate/reviews", Self.review(severity: "detection"), at: Self.reviewTime)
        #expect(detection.ignoredReason?.contains("severity detection") == true)
        let odd = try #require(F.decode("frigate/reviews", Self.review(severity: "panic"), at: Self.reviewTime).rejection)
        #expect(odd.detail == "after.severity: expected alert or detection, found \"panic\"")
    }

    @Test func frigatePayloadsUseTheirOwnSizeLimit() throws {
        let payload = Self.event().replacingOccurrences("\"ABC12345\"", "\"" + String(repeating: "A", count: 1500) + "\"")
        #expect(payload.utf8.count > 4096)
        #expect(F.decode("frigate/events", payload, at: Self.eventTime).camera != nil)
        let huge = Self.event().replacingOccurrences("\"ABC12345\"", "\"" + String(repeating: "A", count: 40_000) + "\"")
        #expect(F.decode("frigate/events", huge, at: Self.eventTime).rejection?.reason == .oversize)
    }

    @Test func encoderOutputIsReadBack() throws {
        let bytes = MessageEncoder.frigateEvent(
            type: .new, id: "1607123955.475377-abc", camera: "front_door", label: "car", score: 0.8,
            zones: ["driveway"], start: Self.eventTime)
        let trigger = try #require(F.decode("frigate/events", bytes: bytes, at: Self.eventTime).camera)
        #expect(trigger.label == .vehicle)
        #expect(trigger.zones == ["entre"])
        #expect(trigger.start == Self.eventTime)
    }
}
