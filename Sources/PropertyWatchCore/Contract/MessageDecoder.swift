import Foundation

/// The outcome of decoding one inbound MQTT message.
public enum DecodeResult: Sendable, Hashable {
    /// A valid message to journal and correlate.
    case message(InboundMessage)
    /// Valid, but nothing PropertyWatch acts on (e.g. a Frigate label that is not mapped).
    case ignored(String)
    /// Refused; becomes a dead letter.
    case rejected(Rejection)
}

/// Decodes and validates inbound messages against the contract and the site directory.
///
/// Walking-skeleton version: alarm events only, via Foundation. Replaced by the strict
/// scanner of the contract work.
public struct MessageDecoder: Sendable {
    public let directory: SiteDirectory
    public let limits: DecodingLimits

    public init(directory: SiteDirectory, limits: DecodingLimits) {
        self.directory = directory
        self.limits = limits
    }

    public func decode(topic: String, payload: UnsafeRawBufferPointer, receivedAt: Timestamp) -> DecodeResult {
        guard let parsed = InboundTopic(parsing: topic) else {
            return .rejected(Rejection(.unknownTopic, topic))
        }
        guard payload.count <= limits.maxPayloadBytes else {
            return .rejected(Rejection(.oversize, "\(payload.count) bytes > \(limits.maxPayloadBytes)"))
        }
        guard case .alarm(let site, let device) = parsed else {
            return .ignored("not yet decoded: \(topic)")
        }
        guard directory.site(site) != nil else { return .rejected(Rejection(.unknownSite, site.rawValue)) }
        guard directory.device(device, at: site) != nil else {
            return .rejected(Rejection(.unknownDevice, "\(device) at \(site)"))
        }
        let data = Data(payload)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .rejected(Rejection(.malformedJSON, "not a JSON object"))
        }
        guard let classText = object["class"] as? String else { return .rejected(Rejection(.missingField, "class")) }
        guard let eventClass = EventClass(rawValue: classText) else { return .rejected(Rejection(.unknownCode, classText)) }
        guard let seq = object["seq"] as? Int, seq >= 0 else { return .rejected(Rejection(.missingField, "seq")) }
        guard let id = object["id"] as? String else { return .rejected(Rejection(.missingField, "id")) }
        guard let time = object["time"] as? Int else { return .rejected(Rejection(.missingField, "time")) }
        if let payloadSite = object["site"] as? String, payloadSite != site.rawValue {
            return .rejected(Rejection(.topicMismatch, "site \(payloadSite) on topic of \(site)"))
        }
        return .message(.alarm(AlarmEvent(
            site: site, device: device, zone: (object["zone"] as? String).map(ZoneID.init),
            eventClass: eventClass, isRestore: object["restore"] as? Bool ?? false,
            sequence: UInt64(seq), eventID: id, deviceTime: Timestamp(millisecondsSinceEpoch: Int64(time))
        )))
    }
}
