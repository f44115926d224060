extension MessageDecoder {
    /// Heartbeat: `{"v":1,"site","device","time"}`.
    func decodeHeartbeat(_ f: FieldReader, site: SiteID, device: DeviceID, receivedAt: Timestamp) throws(Rejection) -> Heartbeat {
        try f.matchTopic("site", site.rawValue)
        try f.matchTopic("device", device.rawValue)
        let time = try f.timestamp("time")
        // A heartbeat the device buffered proves it alive now, like a live one.
        _ = try limits.checkAge(time, field: "time", receivedAt: receivedAt)
        return Heartbeat(site: site, device: device, deviceTime: time)
    }

    /// The fastest speed accepted for a patrol car, in metres per second (540 km/h).
    static let maxSpeed = 150.0

    /// Position: `{"v":1,"unit","lat","lon","speed"?,"time"}`.
    func decodePosition(_ f: FieldReader, unit: UnitID, receivedAt: Timestamp) throws(Rejection) -> UnitPosition {
        try f.matchTopic("unit", unit.rawValue)
        let latitude = try f.double("lat", in: -90...90)
        let longitude = try f.double("lon", in: -180...180)
        let speed = try f.optionalDouble("speed", in: 0...Self.maxSpeed) ?? 0
        let time = try f.timestamp("time")
        try limits.checkSkew(time, field: "time", receivedAt: receivedAt)
        return UnitPosition(unit: unit, position: Coordinate(latitude: latitude, longitude: longitude), speed: speed, time: time)
    }

    /// Check-in: `{"v":1,"unit","site","method","present"?,"time"}`.
    func decodeCheckIn(_ f: FieldReader, unit: UnitID, receivedAt: Timestamp) throws(Rejection) -> CheckIn {
        try f.matchTopic("unit", unit.rawValue)
        let site = try f.identifier("site", as: SiteID.self)
        guard directory.site(site) != nil else { throw Rejection(.unknownSite, "site: \(Excerpt.of(site.rawValue))") }
        let method = try f.enumeration("method", as: CheckIn.Method.self)
        let present = try f.optionalBool("present") ?? true
        let time = try f.timestamp("time")
        try limits.checkSkew(time, field: "time", receivedAt: receivedAt)
        return CheckIn(unit: unit, site: site, method: method, present: present, time: time)
    }

    /// Status: `{"v":1,"unit","state","time"}`.
    func decodeUnitStatus(_ f: FieldReader, unit: UnitID, receivedAt: Timestamp) throws(Rejection) -> UnitStatusReport {
        try f.matchTopic("unit", unit.rawValue)
        let state = try f.enumeration("state", as: UnitState.self)
        let time = try f.timestamp("time")
        try limits.checkSkew(time, field: "time", receivedAt: receivedAt)
        return UnitStatusReport(unit: unit, state: state, time: time)
    }

    /// Reply: `{"v":1,"unit","incident","request"?,"kind","outcome"?,"note"?,"time"}`.
    func decodeReply(_ f: FieldReader, unit: UnitID, receivedAt: Timestamp) throws(Rejection) -> GuardReply {
        try f.matchTopic("unit", unit.rawValue)
        let incident = try f.identifier("incident", as: IncidentID.self)
        let request = try f.optionalIdentifier("request", as: IncidentID.self)?.rawValue
        let kind = try f.enumeration("kind", as: GuardReply.Kind.self)
        let outcome = try f.optionalEnumeration("outcome", as: IncidentOutcome.self)
        let note = try f.optionalText("note")
        let time = try f.timestamp("time")
        try limits.checkSkew(time, field: "time", receivedAt: receivedAt)
        return GuardReply(unit: unit, incident: incident, request: request, kind: kind, outcome: outcome, note: note, time: time)
    }
}
