/// The outcome of decoding one inbound MQTT message.
public enum DecodeResult: Sendable, Hashable {
    /// A valid message to journal and correlate.
    case message(InboundMessage)
    /// Valid, but nothing PropertyWatch acts on (e.g. a Frigate label that is not mapped).
    case ignored(String)
    /// Refused; becomes a dead letter.
    case rejected(Rejection)
}

/// Decodes and validates inbound messages against the contract (see the EventContract
/// article), the topic they came on and the site directory.
///
/// Pure and allocation-light: the payload is validated by a strict JSON scanner into a token
/// tape in temporary storage, and only the strings that end up in the message are created.
/// Alarms on configured devices first take a one-pass fast path (`AlarmPayloadScanner`) that
/// gives the same result or leaves the payload to the general path. Never traps on input.
public struct MessageDecoder: Sendable {
    public let directory: SiteDirectory
    public let limits: DecodingLimits

    /// The deepest nesting of objects and arrays accepted (Frigate needs 5).
    public static let maxNestingDepth = 8

    public init(directory: SiteDirectory, limits: DecodingLimits) {
        self.directory = directory
        self.limits = limits
    }

    public func decode(topic: String, payload: UnsafeRawBufferPointer, receivedAt: Timestamp) -> DecodeResult {
        decode(topic: topic, payload: payload, receivedAt: receivedAt, fastAlarms: true)
    }

    /// `decode(topic:payload:receivedAt:)` for a topic as the broker delivered it, in bytes: a
    /// site topic naming a configured device (nearly every message) is resolved from the bytes
    /// alone; only other topics become a `String`.
    public func decode(topicBytes: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, receivedAt: Timestamp) -> DecodeResult {
        if let result = decodeConfiguredSiteTopic(topicBytes, payload: payload, receivedAt: receivedAt, fastAlarms: true) {
            return result
        }
        return decodeGeneral(topic: String(decoding: topicBytes, as: UTF8.self), payload: payload, receivedAt: receivedAt)
    }

    /// `decode(topic:payload:receivedAt:)`; with `fastAlarms` false, alarms take only the general
    /// path (so tests can hold the two to the same results).
    func decode(topic: String, payload: UnsafeRawBufferPointer, receivedAt: Timestamp, fastAlarms: Bool) -> DecodeResult {
        var topicBytes = topic
        if let result = topicBytes.withUTF8({
            decodeConfiguredSiteTopic(UnsafeRawBufferPointer($0), payload: payload, receivedAt: receivedAt, fastAlarms: fastAlarms)
        }) {
            return result
        }
        return decodeGeneral(topic: topic, payload: payload, receivedAt: receivedAt)
    }

    /// Any topic, parsed from its text, with the specific rejections.
    private func decodeGeneral(topic: String, payload: UnsafeRawBufferPointer, receivedAt: Timestamp) -> DecodeResult {
        guard let parsed = InboundTopic(parsing: topic) else {
            return .rejected(Rejection(.unknownTopic, Excerpt.of(topic, limit: 120)))
        }
        let isFrigate = parsed == .frigateEvents || parsed == .frigateReviews || parsed == .frigateStats || parsed == .frigateBackfill
        if parsed == .frigateAvailable { return decodeFrigateAvailable(payload) }
        let limit = isFrigate ? limits.maxFrigatePayloadBytes : limits.maxPayloadBytes
        guard payload.count <= limit else {
            return .rejected(Rejection(.oversize, "\(payload.count) bytes > \(limit)"))
        }
        let deviceConfiguration: DeviceConfiguration?
        do throws(Rejection) {
            deviceConfiguration = try checkTopicIdentities(parsed)
        } catch {
            return .rejected(error)
        }
        var slot = DeviceSlot.unresolved
        switch parsed {
        case .alarm(let site, let device), .camera(let site, let device), .heartbeat(let site, let device):
            slot = directory.slot(device, at: site)
        default: break
        }
        return decode(parsed, payload: payload, zone: deviceConfiguration?.zone, siteZones: [], slot: slot, receivedAt: receivedAt)
    }

    /// The message on a site topic naming a configured device; nil for any other topic. Alarms
    /// try `fastAlarm` first.
    @inline(__always)
    private func decodeConfiguredSiteTopic(
        _ topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, receivedAt: Timestamp, fastAlarms: Bool
    ) -> DecodeResult? {
        guard let (kind, entry, site, device) = configuredSiteTopic(topic) else { return nil }
        guard payload.count <= limits.maxPayloadBytes else {
            return .rejected(Rejection(.oversize, "\(payload.count) bytes > \(limits.maxPayloadBytes)"))
        }
        if kind == .alarms, fastAlarms, let result = fastAlarm(payload, site: site, device: device, entry: entry, receivedAt: receivedAt) {
            return result
        }
        let configured = directory.devices.entries[entry]
        let parsed: InboundTopic =
            switch kind {
            case .alarms: .alarm(site: configured.site, device: configured.device)
            case .cameras: .camera(site: configured.site, camera: configured.device)
            case .heartbeats: .heartbeat(site: configured.site, device: configured.device)
            }
        return decode(
            parsed, payload: payload, zone: configured.zone, siteZones: configured.siteZones.zones,
            slot: configured.slot, receivedAt: receivedAt)
    }

    private enum SiteTopicKind {
        case alarms, cameras, heartbeats
    }

    /// A site topic (alarms, cameras, heartbeats) naming a configured device, resolved from the
    /// topic's bytes to the directory's own identifiers, with the site and device bytes; nil for
    /// anything else (the general path then parses and checks it, with its specific rejections).
    @inline(__always)
    private func configuredSiteTopic(
        _ bytes: UnsafeRawBufferPointer
    ) -> (SiteTopicKind, Int, site: UnsafeRawBufferPointer, device: UnsafeRawBufferPointer)? {
        let prefix: StaticString = "propertywatch/v1/sites/"
        let prefixLength = prefix.utf8CodeUnitCount
        guard bytes.count > prefixLength else { return nil }
        for i in 0..<prefixLength where bytes[i] != prefix.utf8Start[i] { return nil }
        var i = prefixLength
        while i < bytes.count, bytes[i] != UInt8(ascii: "/") { i += 1 }
        let siteEnd = i
        i += 1
        let kindStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "/") { i += 1 }
        let kindEnd = i
        let deviceStart = i + 1
        guard siteEnd > prefixLength, kindEnd > kindStart, deviceStart < bytes.count else { return nil }
        for j in deviceStart..<bytes.count where bytes[j] == UInt8(ascii: "/") { return nil }
        let siteBytes = UnsafeRawBufferPointer(rebasing: bytes[prefixLength..<siteEnd])
        let deviceBytes = UnsafeRawBufferPointer(rebasing: bytes[deviceStart...])
        guard let entry = directory.devices.find(site: siteBytes, device: deviceBytes) else { return nil }
        let kind = UnsafeRawBufferPointer(rebasing: bytes[kindStart..<kindEnd])
        if DeviceLookup.equal("alarms", kind) { return (.alarms, entry, siteBytes, deviceBytes) }
        if DeviceLookup.equal("cameras", kind) { return (.cameras, entry, siteBytes, deviceBytes) }
        if DeviceLookup.equal("heartbeats", kind) { return (.heartbeats, entry, siteBytes, deviceBytes) }
        return nil
    }

    private func decode(
        _ parsed: InboundTopic, payload: UnsafeRawBufferPointer, zone: ZoneID?, siteZones: [ZoneID], slot: DeviceSlot,
        receivedAt: Timestamp
    ) -> DecodeResult {
        JSONDocument.parse(
            payload, maxDepth: Self.maxNestingDepth,
            { document in
                do throws(Rejection) {
                    guard document[0].kind == .object else {
                        return .rejected(Rejection(.malformedJSON, "payload is not a JSON object"))
                    }
                    return try decode(parsed, document, zone: zone, siteZones: siteZones, slot: slot, receivedAt: receivedAt)
                } catch {
                    return .rejected(error)
                }
            },
            failure: { .rejected($0.rejection) })
    }

    /// Sites, devices and units named by the topic must be configured; returns the device's.
    private func checkTopicIdentities(_ topic: InboundTopic) throws(Rejection) -> DeviceConfiguration? {
        switch topic {
        case .alarm(let site, let device), .camera(let site, let device), .heartbeat(let site, let device):
            return try checkDevice(device, at: site)
        case .position(let unit), .checkIn(let unit), .unitStatus(let unit), .reply(let unit):
            guard directory.unit(unit) != nil else { throw Rejection(.unknownUnit, Excerpt.of(unit.rawValue)) }
            return nil
        case .frigateEvents, .frigateReviews, .frigateAvailable, .frigateStats, .frigateBackfill:
            return nil
        }
    }

    @discardableResult
    func checkDevice(_ device: DeviceID, at site: SiteID) throws(Rejection) -> DeviceConfiguration {
        if let configuration = directory.device(device, at: site) { return configuration }
        guard directory.site(site) != nil else { throw Rejection(.unknownSite, Excerpt.of(site.rawValue)) }
        throw Rejection(.unknownDevice, "\(Excerpt.of(device.rawValue)) at \(Excerpt.of(site.rawValue))")
    }

    private func decode(
        _ topic: InboundTopic, _ document: JSONDocument, zone: ZoneID?, siteZones: [ZoneID], slot: DeviceSlot,
        receivedAt: Timestamp
    ) throws(Rejection) -> DecodeResult {
        let root = FieldReader(document: document, object: 0)
        switch topic {
        case .frigateEvents:
            return try decodeFrigateEvent(root, receivedAt: receivedAt)
        case .frigateReviews:
            return try decodeFrigateReview(root, receivedAt: receivedAt)
        case .frigateStats:
            return try decodeFrigateStats(root)
        case .frigateBackfill:
            return try decodeFrigateBackfill(root, receivedAt: receivedAt)
        case .frigateAvailable:
            return .ignored("unreachable")
        default:
            break
        }
        try root.version()
        switch topic {
        case .alarm(let site, let device):
            var event = try decodeAlarm(root, site: site, device: device, configuredZone: zone, siteZones: siteZones, receivedAt: receivedAt)
            event.slot = slot
            return .message(.alarm(event))
        case .camera(let site, let camera):
            var trigger = try decodeCamera(root, site: site, camera: camera, receivedAt: receivedAt)
            trigger.slot = slot
            return .message(.camera(trigger))
        case .heartbeat(let site, let device):
            var heartbeat = try decodeHeartbeat(root, site: site, device: device, receivedAt: receivedAt)
            heartbeat.slot = slot
            return .message(.heartbeat(heartbeat))
        case .position(let unit):
            return .message(.position(try decodePosition(root, unit: unit, receivedAt: receivedAt)))
        case .checkIn(let unit):
            return .message(.checkIn(try decodeCheckIn(root, unit: unit, receivedAt: receivedAt)))
        case .unitStatus(let unit):
            return .message(.unitStatus(try decodeUnitStatus(root, unit: unit, receivedAt: receivedAt)))
        case .reply(let unit):
            return .message(.reply(try decodeReply(root, unit: unit, receivedAt: receivedAt)))
        case .frigateEvents, .frigateReviews, .frigateAvailable, .frigateStats, .frigateBackfill:
            return .ignored("unreachable")
        }
    }
}
