/// Why a frame was not accepted. Each case is counted and logged by its `reason`.
public enum DC09FrameError: Error, Sendable, Hashable {
    /// The CRC field does not match the frame's bytes.
    case badCRC(expected: UInt16, found: UInt16)
    /// The length field does not match the frame's bytes.
    case badLength(declared: Int, actual: Int)
    /// The header does not follow the standard's layout.
    case malformed(String)
    /// The body could not be decrypted with the account's key, or decrypted to nonsense.
    case undecryptable(String)

    /// A stable reason for counters and logs.
    public var reason: String {
        switch self {
        case .badCRC: "bad-crc"
        case .badLength: "bad-length"
        case .malformed: "malformed"
        case .undecryptable: "undecryptable"
        }
    }

    public var detail: String {
        switch self {
        case .badCRC(let expected, let found): "CRC \(Self.hex(found)) in frame, computed \(Self.hex(expected))"
        case .badLength(let declared, let actual): "length field \(declared), frame has \(actual)"
        case .malformed(let text), .undecryptable(let text): text
        }
    }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
