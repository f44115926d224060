/// Writes the contract's JSON payloads: the daemon's outbound messages, and the inbound
/// kinds (for simulators and tests; `MessageDecoder` reads back what these write).
public enum MessageEncoder {
    // MARK: Outbound

    /// A guard request, on `Topic.guardRequests(unit:)`.
    public static func guardRequest(_ r: GuardRequest) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("request", r.requestID)
        w.field("incident", r.incident.rawValue)
        w.field("unit", r.unit.rawValue)
        w.field("site", r.site.rawValue)
        w.field("siteName", r.siteName)
        w.field("address", r.address)
        w.field("zones", r.zones.map(\.rawValue))
        w.field("priority", r.priority.name)
        w.field("rank", r.priority.rawValue)
        w.field("verification", r.verification.rawValue)
        w.field("triggers", r.triggers)
        w.field("snapshot", r.snapshot)
        if !r.cameraEvents.isEmpty { w.field("cameraEvents", r.cameraEvents) }
        w.field("eta", r.eta)
        w.field("attempt", r.attempt)
        if r.revision > 1 { w.field("revision", r.revision) }
        if !r.changes.isEmpty { w.field("changes", r.changes) }
        w.field("answerBy", r.answerBy)
        w.field("time", r.issuedAt)
        w.endObject()
        return w.bytes
    }

    /// A unit's plan for tonight, on `Topic.unitPlan(unit:)` (retained).
    public static func unitPlan(_ p: UnitPlan) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + p.stops.count * 160)
        w.beginObject()
        w.field("v", 1)
        w.field("unit", p.unit.rawValue)
        w.field("night", p.night.description)
        w.field("version", p.version)
        w.field("reason", p.reason)
        w.key("stops")
        w.beginArray()
        for stop in p.stops {
            w.beginObject()
            w.field("id", stop.id)
            w.field("site", stop.site.rawValue)
            w.field("siteName", p.siteNames[stop.site])
            w.field("from", stop.windowStart)
            w.field("to", stop.windowEnd)
            w.field("dwell", stop.dwell.value)
            w.field("status", stop.status.rawValue)
            w.field("visitedAt", stop.visitedAt)
            if let d = stop.directed {
                w.key("directed")
                w.beginObject()
                w.field("by", d.by)
                w.field("reason", d.reason)
                w.endObject()
            }
            w.field("revisitOf", stop.revisitOf)
            w.endObject()
        }
        w.endArray()
        w.field("time", p.time)
        w.endObject()
        return w.bytes
    }

    /// An incident change, on `Topic.incident(_:)`.
    public static func incidentTransition(_ t: IncidentTransition) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("incident", t.incident.rawValue)
        w.field("site", t.site.rawValue)
        w.key("from")
        if let from = t.from { w.string(from.rawValue) } else { w.null() }
        w.field("to", t.to.rawValue)
        w.field("priority", t.priority.name)
        w.field("rank", t.priority.rawValue)
        w.field("cause", t.cause)
        if t.sequence > 0 { w.field("seq", t.sequence) }
        w.field("time", t.time)
        if let times = t.times {
            w.key("times")
            w.beginObject()
            w.field("alarm", times.alarm)
            w.field("verified", times.verified)
            w.field("requested", times.requested)
            w.field("accepted", times.accepted)
            w.field("enRoute", times.enRoute)
            w.field("onSite", times.onSite)
            w.field("cleared", times.cleared)
            if let ms = times.responseTime { w.field("responseTime", ms.value) }
            if let ms = times.handlingTime { w.field("handlingTime", ms.value) }
            w.endObject()
        }
        w.endObject()
        return w.bytes
    }

    /// The end-to-end acknowledgement, on `Topic.acknowledgement(site:device:)`: `sequence`
    /// is the device's last committed sequence number.
    public static func acknowledgement(site: SiteID, device: DeviceID, sequence: UInt64, time: Timestamp) -> [UInt8] {
        acknowledgement(site: site, device: device, sequences: [sequence], time: time)
    }

    /// An end-to-end acknowledgement: exactly the `sequences` of `device` made durable by one
    /// group commit (`seqs`), and the highest of them (`seq`).
    public static func acknowledgement(site: SiteID, device: DeviceID, sequences: [UInt64], time: Timestamp) -> [UInt8] {
        var w = JSONWriter(capacity: 96 + sequences.count * 8)
        w.beginObject()
        w.field("v", 1)
        w.field("site", site.rawValue)
        w.field("device", device.rawValue)
        w.field("seq", sequences.max() ?? 0)
        w.key("seqs")
        w.beginArray()
        for sequence in sequences { w.integer(sequence) }
        w.endArray()
        w.field("time", time)
        w.endObject()
        return w.bytes
    }

    /// An escalation record for the guard company's central or the on-call contact, on
    /// `Topic.escalations(_:)` (and, for the central, the body of its webhook call).
    public static func escalation(incident: IncidentID, target: String, idempotencyKey: String, contact: String?, summary: String, time: Timestamp) -> [UInt8] {
        var w = JSONWriter(capacity: 192)
        w.beginObject()
        w.field("v", 1)
        w.field("incident", incident.rawValue)
        w.field("target", target)
        w.field("idempotency_key", idempotencyKey)
        w.field("contact", contact)
        w.field("summary", summary)
        w.field("time", time)
        w.endObject()
        return w.bytes
    }

    /// The daemon's retained status, on `Topic.daemonStatus`; the last will has no time.
    public static func daemonStatus(online: Bool, time: Timestamp?) -> [UInt8] {
        var w = JSONWriter(capacity: 64)
        w.beginObject()
        w.field("v", 1)
        w.field("state", online ? "online" : "offline")
        w.field("time", time)
        w.endObject()
        return w.bytes
    }

    /// An operator warning, on `Topic.warnings`.
    public static func warning(site: SiteID?, code: String, message: String, time: Timestamp) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("site", site?.rawValue)
        w.field("code", code)
        w.field("message", message)
        w.field("time", time)
        w.endObject()
        return w.bytes
    }

    // MARK: Inbound kinds

    /// The topic an inbound message is published on.
    public static func topic(for message: InboundMessage) -> String {
        switch message {
        case .alarm(let e): Topic.alarm(site: e.site, device: e.device)
        case .camera(let c): Topic.camera(site: c.site, camera: c.camera)
        case .heartbeat(let h): Topic.heartbeat(site: h.site, device: h.device)
        case .position(let p): Topic.position(unit: p.unit)
        case .checkIn(let c): Topic.checkIn(unit: c.unit)
        case .unitStatus(let s): Topic.unitStatus(unit: s.unit)
        case .reply(let r): Topic.replies(unit: r.unit)
        case .video(.frigate): "frigate/available"
        case .video(.cameras): "frigate/stats"
        }
    }

    /// The payload of an inbound message, as a device or unit would publish it.
    public static func encode(_ message: InboundMessage) -> [UInt8] {
        switch message {
        case .alarm(let e): alarm(e)
        case .camera(let c): camera(c)
        case .heartbeat(let h): heartbeat(h)
        case .position(let p): position(p)
        case .checkIn(let c): checkIn(c)
        case .unitStatus(let s): unitStatus(s)
        case .reply(let r): reply(r)
        case .video(let status): video(status)
        }
    }

    /// Frigate's status: `online`/`offline` as plain text, or a stats document with each
    /// camera's `camera_fps` under its device id (the names a Frigate mapping must then use).
    public static func video(_ status: VideoStatus) -> [UInt8] {
        switch status {
        case .frigate(let online):
            return Array((online ? "online" : "offline").utf8)
        case .cameras(let feeds):
            var w = JSONWriter()
            w.beginObject()
            w.key("cameras")
            w.beginObject()
            for feed in feeds {
                w.key(dynamic: feed.camera.rawValue)
                w.beginObject()
                w.field("camera_fps", feed.framesPerSecond)
                w.endObject()
            }
            w.endObject()
            w.endObject()
            return w.bytes
        }
    }

    /// An alarm event; `code` (`SIA:BA`, `CID:E130`) is written as `sia`/`cid`, otherwise `class`.
    public static func alarm(_ e: AlarmEvent) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("site", e.site.rawValue)
        w.field("device", e.device.rawValue)
        w.field("zone", e.zone?.rawValue)
        w.field("partition", e.partition?.rawValue)
        w.field("user", e.user?.rawValue)
        if let code = e.code, code.hasPrefix("SIA:") {
            w.field("sia", String(code.dropFirst(4)))
        } else if let code = e.code, code.hasPrefix("CID:") {
            w.field("cid", String(code.dropFirst(4)))
        } else {
            w.field("class", e.eventClass.rawValue)
            w.field("restore", e.isRestore)
            if e.eventClass == .trouble { w.field("trouble", e.trouble?.rawValue) }
        }
        w.field("seq", e.sequence)
        w.field("id", e.eventID)
        w.field("time", e.deviceTime)
        w.endObject()
        return w.bytes
    }

    public static func camera(_ c: CameraTrigger) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("site", c.site.rawValue)
        w.field("camera", c.camera.rawValue)
        w.field("zones", c.zones.map(\.rawValue))
        w.field("label", c.label.rawValue)
        w.field("score", c.score)
        w.field("phase", c.phase.rawValue)
        w.field("id", c.eventID)
        w.field("start", c.start)
        w.field("end", c.end)
        w.field("snapshot", c.snapshot)
        w.endObject()
        return w.bytes
    }

    public static func heartbeat(_ h: Heartbeat) -> [UInt8] {
        var w = JSONWriter(capacity: 96)
        w.beginObject()
        w.field("v", 1)
        w.field("site", h.site.rawValue)
        w.field("device", h.device.rawValue)
        w.field("time", h.deviceTime)
        w.endObject()
        return w.bytes
    }

    public static func position(_ p: UnitPosition) -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.field("v", 1)
        w.field("unit", p.unit.rawValue)
        w.field("lat", p.position.latitude)
        w.field("lon", p.position.longitude)
        w.field("speed", p.speed)
        w.field("time", p.time)
        w.endObject()
        return w.bytes
    }

    public static func checkIn(_ c: CheckIn) -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.field("v", 1)
        w.field("unit", c.unit.rawValue)
        w.field("site", c.site.rawValue)
        w.field("method", c.method.rawValue)
        w.field("present", c.present)
        w.field("time", c.time)
        w.endObject()
        return w.bytes
    }

    public static func unitStatus(_ s: UnitStatusReport) -> [UInt8] {
        var w = JSONWriter(capacity: 96)
        w.beginObject()
        w.field("v", 1)
        w.field("unit", s.unit.rawValue)
        w.field("state", s.state.rawValue)
        w.field("time", s.time)
        w.endObject()
        return w.bytes
    }

    public static func reply(_ r: GuardReply) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("v", 1)
        w.field("unit", r.unit.rawValue)
        w.field("incident", r.incident.rawValue)
        w.field("request", r.request)
        w.field("kind", r.kind.rawValue)
        w.field("outcome", r.outcome?.rawValue)
        w.field("note", r.note)
        w.field("time", r.time)
        w.endObject()
        return w.bytes
    }

    // MARK: Frigate (for simulators)

    /// A `frigate/events` message in Frigate's shape (`after` only, plus an equal `before`),
    /// with times in epoch seconds.
    public static func frigateEvent(
        type: CameraTrigger.Phase, id: String, camera: String, label: String, score: Double,
        zones: [String], start: Timestamp, end: Timestamp? = nil, hasSnapshot: Bool = false,
        falsePositive: Bool = false
    ) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.beginObject()
        w.field("type", type.rawValue)
        for name in [0, 1] {
            if name == 0 { w.key("before") } else { w.key("after") }
            w.beginObject()
            w.field("id", id)
            w.field("camera", camera)
            w.field("label", label)
            w.field("top_score", score)
            w.field("score", score)
            w.field("false_positive", falsePositive)
            w.field("start_time", Double(start.millisecondsSinceEpoch) / 1000)
            w.key("end_time")
            if let end { w.number(Double(end.millisecondsSinceEpoch) / 1000) } else { w.null() }
            w.field("current_zones", zones)
            w.field("entered_zones", zones)
            w.field("has_snapshot", hasSnapshot)
            w.endObject()
        }
        w.endObject()
        return w.bytes
    }
}
