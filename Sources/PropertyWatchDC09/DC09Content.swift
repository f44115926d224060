/// A frame's content once decrypted: `data]`, optional extended data `[X…][Y…]`, and the
/// optional timestamp `_HH:MM:SS,MM-DD-YYYY`.
public struct DC09Content: Sendable, Hashable {
    /// The message data without its closing `]`, e.g. `#1234|Nri1/BA01`; empty for `NULL`.
    public var data: [UInt8]
    /// Extended data blocks without brackets, e.g. `X017E42.1`.
    public var extended: [[UInt8]]
    /// Epoch milliseconds, when the frame carried a timestamp.
    public var timestamp: Int64?

    public init(data: [UInt8], extended: [[UInt8]] = [], timestamp: Int64? = nil) {
        self.data = data
        self.extended = extended
        self.timestamp = timestamp
    }

    /// Parses content from after the `[` (plain frames) or the padding's `|` (decrypted ones).
    public static func parse(_ c: [UInt8]) -> Result<DC09Content, DC09FrameError> {
        guard c.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return .failure(.malformed("content has non-printable bytes"))
        }
        guard let close = c.firstIndex(of: UInt8(ascii: "]")) else {
            return .failure(.malformed("data is not closed by ']'"))
        }
        var content = DC09Content(data: Array(c[..<close]))
        var i = close + 1
        while i < c.count, c[i] == UInt8(ascii: "[") {
            guard let end = c[i...].firstIndex(of: UInt8(ascii: "]")) else {
                return .failure(.malformed("extended data is not closed by ']'"))
            }
            content.extended.append(Array(c[(i + 1)..<end]))
            i = end + 1
        }
        if i < c.count {
            guard c[i] == UInt8(ascii: "_"), let time = DC09Timestamp.parse(c[(i + 1)...]) else {
                return .failure(.malformed("trailing bytes are not a timestamp _HH:MM:SS,MM-DD-YYYY"))
            }
            content.timestamp = time
        }
        return .success(content)
    }
}
