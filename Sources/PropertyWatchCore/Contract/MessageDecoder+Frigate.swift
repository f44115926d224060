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
