extension MessageDecoder {
    private var frigate: FrigateMapping { directory.configuration.frigate }

    /// `frigate/events`: `{"type":"new"|"update"|"end","before":{…},"after":{…}}`; only
    /// `after` is read. Times are epoch seconds.
    func decodeFrigateEvent(_ root: FieldReader, receivedAt: Timestamp) throws(Rejection) -> DecodeResult {
        let phase = try root.enumeration("type", as: CameraTrigger.Phase.self)
        let after = try object(root, "after")
        let camera = try mappedCamera(after)
        let id = try after.identifier("id", as: DeviceID.self).rawValue
        if try after.optionalBool("false_positive") == true {
            return .ignored("frigate event \(id): false positive")
        }
        let labelIndex = try after.stringIndex("label")
        guard let label = frigate.label(for: after.document.string(labelIndex)) else {
            return .ignored("frigate label \(after.describe(labelIndex)) not mapped")
        }
        let score: Double
        if let topScore = try after.optionalDouble("top_score", in: 0...1) {
            score = topScore
        } else {
            score = try after.double("score", in: 0...1)
        }
        guard score >= frigate.minimumScore else {
            return .ignored("frigate event \(id): score \(score) below \(frigate.minimumScore)")
        }
        let start = try after.secondsTimestamp("start_time", at: after.required("start_time"))
        var end: Timestamp?
        if let index = after.optional("end_time") { end = try after.secondsTimestamp("end_time", at: index) }
        var zones: [ZoneID] = []
        try appendZones(after, "entered_zones", camera: camera, to: &zones)
        try appendZones(after, "current_zones", camera: camera, to: &zones)
        var snapshot: String?
        if try after.optionalBool("has_snapshot") == true, let base = frigate.snapshotBaseURL {
            snapshot = "\(base)/api/events/\(id)/snapshot.jpg"
        }
        try checkCameraTimes(phase: phase, start: start, end: end, receivedAt: receivedAt, path: after.path)
        return .message(.camera(CameraTrigger(
            site: camera.site, camera: camera.device, zones: zones, label: label, score: score, phase: phase,
            eventID: id, start: start, end: end, snapshot: snapshot)))
    }

    /// `frigate/reviews`: `{"type","before","after":{"id","camera","start_time","end_time",
    /// "severity","thumb_path","data":{"detections","objects","zones",…}}}`. Review items carry
    /// no score (Frigate has applied its thresholds), so they map with score 1.
    func decodeFrigateReview(_ root: FieldReader, receivedAt: Timestamp) throws(Rejection) -> DecodeResult {
        let phase = try root.enumeration("type", as: CameraTrigger.Phase.self)
        let after = try object(root, "after")
        let camera = try mappedCamera(after)
        let id = try after.identifier("id", as: DeviceID.self).rawValue
        let severityIndex = try after.stringIndex("severity")
        let document = after.document
        if document.string(severityIndex, equals: "detection") {
            guard frigate.acceptDetectionReviews else { return .ignored("frigate review \(id): severity detection") }
        } else if !document.string(severityIndex, equals: "alert") {
            throw after.invalid("severity", "expected alert or detection", severityIndex)
        }
        let data = try object(after, "data")
        let objectsIndex = try data.required("objects")
        guard document[objectsIndex].kind == .array else { throw data.invalid("objects", "expected an array of labels", objectsIndex) }
        var best: ObjectLabel?
        try document.forEachElement(of: objectsIndex) { (element: Int) throws(Rejection) in
            guard document[element].kind == .string else { throw data.invalid("objects", "expected labels", element) }
            guard let label = frigate.label(for: document.string(element)) else { return }
            if best.map({ Self.rank(label) > Self.rank($0) }) ?? true { best = label }
        }
        guard let label = best else { return .ignored("frigate review \(id): no mapped object label") }
        let start = try after.secondsTimestamp("start_time", at: after.required("start_time"))
        var end: Timestamp?
        if let index = after.optional("end_time") { end = try after.secondsTimestamp("end_time", at: index) }
        var zones: [ZoneID] = []
        try appendZones(data, "zones", camera: camera, to: &zones)
        let snapshot = try after.optionalText("thumb_path")
        try checkCameraTimes(phase: phase, start: start, end: end, receivedAt: receivedAt, path: after.path)
        return .message(.camera(CameraTrigger(
            site: camera.site, camera: camera.device, zones: zones, label: label, score: 1, phase: phase,
            eventID: "review:\(id)", start: start, end: end, snapshot: snapshot)))
    }

    /// `frigate/available`: the plain text `online` or `offline` (not JSON), retained by the
    /// broker, `offline` also as Frigate's last will.
    func decodeFrigateAvailable(_ payload: UnsafeRawBufferPointer) -> DecodeResult {
        var text = Substring(decoding: payload, as: UTF8.self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        switch text {
        case "online": return .message(.video(.frigate(online: true)))
        case "offline": return .message(.video(.frigate(online: false)))
        default: return .rejected(Rejection(.invalidField, "frigate/available: expected online or offline, got \(Excerpt.of(String(text), limit: 40))"))
        }
    }

    /// `frigate/stats`: only `cameras.<name>.camera_fps` of mapped cameras is read; cameras
    /// Frigate does not report, and everything else, are left alone.
    func decodeFrigateStats(_ root: FieldReader) throws(Rejection) -> DecodeResult {
        guard let camerasIndex = root.optional("cameras") else { return .ignored("frigate stats without cameras") }
        let document = root.document
        guard document[camerasIndex].kind == .object else { throw root.invalid("cameras", "expected an object", camerasIndex) }
        var feeds: [VideoStatus.CameraFeed] = []
        try document.forEachMember(of: camerasIndex) { (key: Int, value: Int) throws(Rejection) in
            guard document.raw(key).count <= FieldReader.maxIdentifierBytes,
                  let camera = frigate.cameras[document.string(key)], document[value].kind == .object
            else { return }
            let stats = FieldReader(document: document, object: value, path: "cameras.\(camera.device)")
            guard let fps = try stats.optionalDouble("camera_fps", in: 0...10_000) else { return }
            feeds.append(VideoStatus.CameraFeed(site: camera.site, camera: camera.device, framesPerSecond: fps))
        }
        guard !feeds.isEmpty else { return .ignored("frigate stats: no mapped camera") }
        feeds.sort { ($0.site.rawValue, $0.camera.rawValue) < ($1.site.rawValue, $1.camera.rawValue) }
        return .message(.video(.cameras(feeds)))
    }

    /// `frigate/backfill`: one element of Frigate's `GET /api/events` answer, as the backfill
    /// fetched it: `{"id","camera","label","start_time","end_time","zones","has_snapshot",
    /// "false_positive","data":{"score","top_score",…}}`. It may be hours old: its times are
    /// only held to lie before the receive time (plus the skew allowance), and the event is
    /// marked `backfilled`, phase `end` when it has ended.
    func decodeFrigateBackfill(_ root: FieldReader, receivedAt: Timestamp) throws(Rejection) -> DecodeResult {
        let camera = try mappedCamera(root)
        let id = try root.identifier("id", as: DeviceID.self).rawValue
        if try root.optionalBool("false_positive") == true {
            return .ignored("frigate event \(id): false positive")
        }
        let labelIndex = try root.stringIndex("label")
        guard let label = frigate.label(for: root.document.string(labelIndex)) else {
            return .ignored("frigate label \(root.describe(labelIndex)) not mapped")
        }
        var score: Double?
        if let dataIndex = root.optional("data") {
            guard root.document[dataIndex].kind == .object else { throw root.invalid("data", "expected an object", dataIndex) }
            let data = FieldReader(document: root.document, object: dataIndex, path: root.name("data"))
            score = try data.optionalDouble("top_score", in: 0...1)
            if score == nil { score = try data.optionalDouble("score", in: 0...1) }
        }
        if score == nil { score = try root.optionalDouble("top_score", in: 0...1) }
        guard let score else { throw Rejection(.missingField, "data.top_score or top_score") }
        guard score >= frigate.minimumScore else {
            return .ignored("frigate event \(id): score \(score) below \(frigate.minimumScore)")
        }
        let start = try root.secondsTimestamp("start_time", at: root.required("start_time"))
        var end: Timestamp?
        if let index = root.optional("end_time") { end = try root.secondsTimestamp("end_time", at: index) }
        var zones: [ZoneID] = []
        try appendZones(root, "zones", camera: camera, to: &zones)
        var snapshot: String?
        if try root.optionalBool("has_snapshot") == true, let base = frigate.snapshotBaseURL {
            snapshot = "\(base)/api/events/\(id)/snapshot.jpg"
        }
        // Old by nature: only "not in the future" is checked, and end after start.
        try limits.checkSkew(start, field: "start_time", receivedAt: receivedAt, past: false, future: true)
        if let end {
            guard end >= start else {
                throw Rejection(.invalidField, "end_time: \(end.millisecondsSinceEpoch) before start_time \(start.millisecondsSinceEpoch)")
            }
            try limits.checkSkew(end, field: "end_time", receivedAt: receivedAt, past: false, future: true)
        }
        return .message(.camera(CameraTrigger(
            site: camera.site, camera: camera.device, zones: zones, label: label, score: score,
            phase: end == nil ? .update : .end, eventID: id, start: start, end: end, snapshot: snapshot, backfilled: true)))
    }

    private static func rank(_ label: ObjectLabel) -> Int {
        switch label {
        case .person: 3
        case .vehicle: 2
        case .other: 1
        case .motion: 0
        }
    }

    private func object(_ parent: FieldReader, _ field: StaticString) throws(Rejection) -> FieldReader {
        let index = try parent.required(field)
        guard parent.document[index].kind == .object else { throw parent.invalid(field, "expected an object", index) }
        return FieldReader(document: parent.document, object: index, path: parent.name(field))
    }

    private func mappedCamera(_ after: FieldReader) throws(Rejection) -> FrigateMapping.Camera {
        let index = try after.stringIndex("camera")
        guard after.document.raw(index).count <= FieldReader.maxIdentifierBytes,
            let camera = frigate.cameras[after.document.string(index)]
        else {
            throw Rejection(.unknownDevice, "frigate camera \(after.describe(index)) not mapped")
        }
        try checkDevice(camera.device, at: camera.site)
        return camera
    }

    /// Maps Frigate zone names through the camera's zone map; unmapped names pass through
    /// when the site has such a zone and are dropped otherwise.
    private func appendZones(
        _ reader: FieldReader, _ field: StaticString, camera: FrigateMapping.Camera, to zones: inout [ZoneID]
    ) throws(Rejection) {
        guard let index = reader.optional(field) else { return }
        let document = reader.document
        guard document[index].kind == .array else { throw reader.invalid(field, "expected an array of zone names", index) }
        let siteZones = directory.site(camera.site)?.zones ?? []
        var mapped: [ZoneID] = []
        try document.forEachElement(of: index) { (element: Int) throws(Rejection) in
            guard document[element].kind == .string else { throw reader.invalid(field, "expected zone names", element) }
            let name = document.string(element)
            if let zone = camera.zones[name] {
                mapped.append(zone)
            } else if siteZones.contains(where: { $0.id.rawValue == name }) {
                mapped.append(ZoneID(name))
            }
        }
        for zone in mapped where !zones.contains(zone) { zones.append(zone) }
    }
}
