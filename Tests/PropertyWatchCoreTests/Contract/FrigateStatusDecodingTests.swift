import Testing
@testable import PropertyWatchCore

/// `frigate/available`, `frigate/stats` and `frigate/backfill` (one element of Frigate's
/// `GET /api/events` answer), with payloads shaped as Frigate's documentation shows them.
@Suite struct FrigateStatusDecodingTests {
    typealias F = ContractFixtures

    /// One event of `GET /api/events` (Frigate's `EventResponse`), with `data` as Frigate stores it.
    static func apiEvent(
        id: String = "1764099000.123456-abc123", camera: String = "front_door", label: String = "person",
        start: String = "1764099000.123456", end: String = "1764099030.5", zones: String = #"["driveway"]"#,
        hasSnapshot: String = "true", data: String = #"{"box":[0.1,0.2,0.3,0.4],"region":[0,0,0.5,0.5],"score":0.71,"top_score":0.83,"attributes":[],"type":"object"}"#
    ) -> String {
        """
        {"id":"\(id)","label":"\(label)","sub_label":null,"camera":"\(camera)","start_time":\(start),"end_time":\(end),
         "false_positive":null,"zones":\(zones),"thumbnail":null,"has_clip":true,"has_snapshot":\(hasSnapshot),
         "retain_indefinitely":false,"plus_id":null,"model_hash":"abc","detector_type":"cpu","model_type":"ssd","data":\(data)}
        """
    }

    @Test(arguments: [("online", true), ("offline", false), ("online\n", true)])
    func availability(payload: String, online: Bool) throws {
        let message = try #require(F.decode("frigate/available", payload).message)
        #expect(message == .video(.frigate(online: online)))
    }

    @Test(arguments: ["", "ONLINE", "{\"online\":true}", "maybe"])
    func availabilityRefusesAnythingElse(payload: String) throws {
        let rejection = try #require(F.decode("frigate/available", payload).rejection)
        #expect(rejection.reason == .invalidField)
    }

    @Test func statsReadCameraFramesOfMappedCamerasOnly() throws {
        let stats = """
            {"cameras":{"front_door":{"camera_fps":5.0,"detection_fps":1.5,"capture_pid":27,"pid":34,"process_fps":5.1,"skipped_fps":0.0},
                        "front_cam":{"camera_fps":0.0,"detection_fps":0.0,"capture_pid":28,"pid":35,"process_fps":0.0,"skipped_fps":0.0},
                        "back_yard":{"camera_fps":0.0}},
             "detection_fps":5.0,"detectors":{"coral":{"detection_start":0.0,"inference_speed":8.94,"pid":52}},
             "service":{"uptime":1000,"version":"0.14.1","storage":{}}}
            """
        let message = try #require(F.decode("frigate/stats", stats).message)
        #expect(message == .video(.cameras([
            .init(site: "brohuset", camera: "cam-2", framesPerSecond: 5),
            .init(site: "brohuset", camera: "cam-3", framesPerSecond: 0),
        ])))
        #expect(F.decode("frigate/stats", #"{"detection_fps":1}"#).ignoredReason == "frigate stats without cameras")
        #expect(F.decode("frigate/stats", #"{"cameras":{"back_yard":{"camera_fps":1}}}"#).ignoredReason == "frigate stats: no mapped camera")
        #expect(F.decode("frigate/stats", #"{"cameras":[]}"#).rejection?.detail.hasPrefix("cameras") == true)
        #expect(F.decode("frigate/stats", #"{"cameras":{"front_door":{"camera_fps":-1}}}"#).rejection != nil)
    }

    @Test func backfilledEventIsAnEndedTriggerAtItsOwnTime() throws {
        let trigger = try #require(F.decode("frigate/backfill", Self.apiEvent()).camera)
        #expect(trigger == CameraTrigger(
            site: "brohuset", camera: "cam-2", zones: ["entre"], label: .person, score: 0.83, phase: .end,
            eventID: "1764099000.123456-abc123", start: Timestamp(millisecondsSinceEpoch: 1_764_099_000_123),
            end: Timestamp(millisecondsSinceEpoch: 1_764_099_030_500),
            snapshot: "http://frigate.local:5000/api/events/1764099000.123456-abc123/snapshot.jpg", backfilled: true))
    }

    /// Decoder table: how each shape of a fetched event decodes.
    @Test(arguments: [
        // (what, end_time, data, expected phase or nil, expected score or outcome)
        ("in progress", "null", #"{"score":0.9,"top_score":0.9}"#, "update", "0.9"),
        ("score only", "1764099030.5", #"{"score":0.75}"#, "end", "0.75"),
        ("below minimum", "1764099030.5", #"{"top_score":0.4}"#, nil, "ignored"),
        ("no score", "1764099030.5", #"{}"#, nil, "missing-field"),
        ("data not an object", "1764099030.5", #"[1]"#, nil, "invalid-field"),
        ("end before start", "1764098000", #"{"top_score":0.9}"#, nil, "invalid-field"),
    ])
    func backfillTable(what: String, end: String, data: String, phase: String?, outcome: String) throws {
        let result = F.decode("frigate/backfill", Self.apiEvent(end: end, data: data))
        if let phase {
            let trigger = try #require(result.camera, "\(what)")
            #expect(trigger.phase.rawValue == phase)
            #expect(trigger.score == Double(outcome))
            #expect(trigger.backfilled)
        } else if outcome == "ignored" {
            #expect(result.ignoredReason != nil, "\(what)")
        } else {
            #expect(result.rejection?.reason.rawValue == outcome, "\(what)")
        }
    }

    @Test func oldBackfilledEventsAreAcceptedButNotFutureOnes() throws {
        // Four hours old: far outside the live skew window, fine for a backfill.
        let old = F.decode("frigate/backfill", Self.apiEvent(start: "1764085600", end: "1764085620"))
        #expect(old.camera?.start == Timestamp(millisecondsSinceEpoch: 1_764_085_600_000))
        let future = try #require(F.decode("frigate/backfill", Self.apiEvent(start: "1764200000", end: "null")).rejection)
        #expect(future.reason == .clockSkew)
    }

    @Test func hostileBackfillPayloadsAreRefusedNotCrashed() throws {
        for payload in ["[]", "{", "null", #"{"id":"x"}"#, Self.apiEvent(camera: "back_yard"), Self.apiEvent(id: String(repeating: "x", count: 500)),
                        Self.apiEvent(zones: #""driveway""#), Self.apiEvent(start: "\"yesterday\"")] {
            #expect(F.decode("frigate/backfill", payload).rejection != nil, "\(payload.prefix(40))")
        }
        #expect(F.decode("frigate/backfill", Self.apiEvent(label: "cat")).ignoredReason != nil)
    }

    @Test func encoderOutputIsReadBack() throws {
        for status in [VideoStatus.frigate(online: true), .frigate(online: false)] {
            let bytes = MessageEncoder.encode(.video(status))
            #expect(F.decode(MessageEncoder.topic(for: .video(status)), bytes: bytes).message == .video(status))
        }
    }

    @Test func guardRequestsCarryCameraEvents() throws {
        var request = GuardRequest(
            requestID: "r1", incident: "2026-11-27-0001", unit: "P1", site: "brohuset", siteName: "Brohuset", address: "Torget 1",
            zones: [], priority: .verifiedIntrusion, verification: .video, triggers: [], issuedAt: F.now)
        #expect(!String(decoding: MessageEncoder.guardRequest(request), as: UTF8.self).contains("cameraEvents"))
        request.cameraEvents = ["1764099000.123456-abc123"]
        request.snapshot = "http://frigate.local:5000/api/events/1764099000.123456-abc123/snapshot.jpg"
        let text = String(decoding: MessageEncoder.guardRequest(request), as: UTF8.self)
        #expect(text.contains(#""snapshot":"http://frigate.local:5000/api/events/1764099000.123456-abc123/snapshot.jpg","cameraEvents":["1764099000.123456-abc123"]"#))
    }
}
