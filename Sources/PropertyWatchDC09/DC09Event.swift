/// One event read from a SIA-DCS or ADM-CID message.
public struct DC09Event: Sendable, Hashable {
    public enum ProtocolKind: String, Sendable, Hashable { case sia = "SIA", contactID = "CID" }

    public var protocolKind: ProtocolKind
    /// `BA` for SIA; qualifier letter and three digits for Contact ID, e.g. `E130`, `R401`.
    public var code: String
    public var zone: String?
    /// Area / partition.
    public var partition: String?
    public var user: String?

    public init(protocolKind: ProtocolKind, code: String, zone: String? = nil, partition: String? = nil, user: String? = nil) {
        self.protocolKind = protocolKind
        self.code = code
        self.zone = zone
        self.partition = partition
        self.user = user
    }

    /// `SIA:BA` or `CID:E130`, as `AlarmEvent.code` spells codes.
    public var normalizedCode: String { "\(protocolKind.rawValue):\(code)" }
}
