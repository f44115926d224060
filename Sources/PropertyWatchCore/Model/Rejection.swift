/// Why an inbound message was refused. Each case is counted separately and stored as a
/// dead letter with the (capped) payload.
public enum RejectionReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The topic is not part of the contract.
    case unknownTopic = "unknown-topic"
    /// The payload is larger than the configured limit.
    case oversize
    /// The payload is not valid UTF-8.
    case invalidUTF8 = "invalid-utf8"
    /// The payload is not well-formed JSON.
    case malformedJSON = "malformed-json"
    /// A JSON object names the same key twice.
    case duplicateKey = "duplicate-key"
    /// A required field is absent.
    case missingField = "missing-field"
    /// A field has the wrong type or a value outside its range.
    case invalidField = "invalid-field"
    /// An unknown event class or SIA/Contact ID code.
    case unknownCode = "unknown-code"
    /// The site is not configured.
    case unknownSite = "unknown-site"
    /// The device is not configured at that site.
    case unknownDevice = "unknown-device"
    /// The zone (by id or number) is not configured at that site.
    case unknownZone = "unknown-zone"
    /// The partition (by id or number) is not configured at that site.
    case unknownPartition = "unknown-partition"
    /// The user (by id or number) is not configured at that site.
    case unknownUser = "unknown-user"
    /// The patrol unit is not configured.
    case unknownUnit = "unknown-unit"
    /// Topic and payload disagree on site, device or unit.
    case topicMismatch = "topic-mismatch"
    /// The device's timestamp is outside the allowed skew window.
    case clockSkew = "clock-skew"
    /// An alarm event or heartbeat older than the late window (`DecodingLimits.lateWindow`).
    case tooLate = "too-late"
}

/// A refused message: the reason plus a short human-readable detail.
public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: RejectionReason
    public var detail: String

    public init(_ reason: RejectionReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
