/// Builds the receiver's replies (SIA DC-09 section 5.5.3): ACK, NAK and DUH frames.
public enum DC09Reply {
    /// The kinds of answer, as counted in metrics (`none` is no answer at all).
    public enum Kind: String, Sendable, Hashable, CaseIterable { case ack, nak, duh, none }

    /// `"ACK"seq Rr Ll #acct[]`, echoing the frame's sequence, receiver, line and account.
    /// When the frame was encrypted, the ACK is too: `"*ACK"…[<hex of pad|]_timestamp>`.
    public static func ack(to frame: DC09Frame, cipher: DC09Cipher?, now: Int64, padding: [UInt8]) -> [UInt8] {
        var header = "\(frame.sequenceText)\(frame.receiver ?? "")\(frame.line ?? "")#\(frame.account)["
        if frame.encrypted, let cipher {
            let content = Array("]_\(DC09Timestamp.format(now))".utf8)
            let body = "\"*ACK\"" + header
            return wrap(Array(body.utf8) + cipher.encrypt(content: content, padding: padding))
        }
        header = "\"ACK\"" + header + "]"
        return wrap(Array(header.utf8))
    }

    /// `"NAK"0000R0L0A0[]_HH:MM:SS,MM-DD-YYYY`: the receiver's time, so the panel can correct its clock.
    public static func nak(now: Int64) -> [UInt8] {
        wrap(Array("\"NAK\"0000R0L0A0[]_\(DC09Timestamp.format(now))".utf8))
    }

    /// `"DUH"seq Rr Ll #acct[]`, never encrypted (the receiver may not have the key).
    public static func duh(to frame: DC09Frame) -> [UInt8] {
        wrap(Array("\"DUH\"\(frame.sequenceText)\(frame.receiver ?? "")\(frame.line ?? "")#\(frame.account)[]".utf8))
    }

    /// `LF crc 0LLL payload CR`.
    public static func wrap(_ payload: [UInt8]) -> [UInt8] {
        let crc = DC09FrameError.hex(DC09CRC.checksum(payload))
        let length = DC09FrameError.hex(UInt16(payload.count))
        return [0x0A] + Array(crc.utf8) + Array(length.utf8) + payload + [0x0D]
    }
}
