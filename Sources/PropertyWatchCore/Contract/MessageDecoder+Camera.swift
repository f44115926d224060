extension MessageDecoder {
    /// `{"v":1,"site","camera","zones","label","score","phase"?,"id","start","end"?,"snapshot"?}`.
    func decodeCamera(_ f: FieldReader, site: SiteID, camera: DeviceID, receivedAt: Timestamp) throws(Rejection) -> CameraTrigger {
        try f.matchTopic("site", site.rawValue)
        try f.matchTopic("camera", camera.rawValue)
        var zones: [ZoneID] = []
        if let index = f.optional("zones") {
            guard f.document[index].kind == .array else { throw f.invalid("zones", "expected an array of zone ids", index) }
            try f.document.forEachElement(of: index) { (element: Int) throws(Rejection) in
                guard f.document[element].kind == .string else { throw f.invalid("zones", "expected zone ids", element) }
                zones.append(ZoneID(try f.identifierString("zones", at: element)))
            }
        }
        let label = try f.enumeration("label", as: ObjectLabel.self)
        let score = try f.double("score", in: 0...1)
        let phase = try f.optionalEnumeration("phase", as: CameraTrigger.Phase.self) ?? .new
        let eventID = try f.identifier("id", as: DeviceID.self).rawValue
        let start = try f.timestamp("start")
        let end = try f.optionalTimestamp("end")
        let snapshot = try f.optionalText("snapshot")
        try checkCameraTimes(phase: phase, start: start, end: end, receivedAt: receivedAt, path: f.path)
        return CameraTrigger(
            site: site, camera: camera, zones: zones, label: label, score: score, phase: phase,
            eventID: eventID, start: start, end: end, snapshot: snapshot)
    }

    /// A new detection starts within the skew window; later phases may have started long
    /// ago, so only their end (when given) is held to the window, and nothing may lie ahead.
    func checkCameraTimes(
        phase: CameraTrigger.Phase, start: Timestamp, end: Timestamp?, receivedAt: Timestamp, path: String
    ) throws(Rejection) {
        let prefix = path.isEmpty ? "" : "\(path)."
        try limits.checkSkew(start, field: "\(prefix)start", receivedAt: receivedAt, past: phase == .new, future: true)
        if let end {
            guard end >= start else {
                throw Rejection(.invalidField, "\(prefix)end: \(end.millisecondsSinceEpoch) before start \(start.millisecondsSinceEpoch)")
            }
            try limits.checkSkew(end, field: "\(prefix)end", receivedAt: receivedAt)
        }
    }
}
