/// One SIA DC-09 frame as it came off the wire: header fields and the still-encrypted body.
///
/// Wire form: `LF crc 0LLL "id" seq [Rrcvr] [Lpref] #acct [ body CR`, where `crc` is four
/// ASCII hex digits (or two binary bytes from some transmitters), `0LLL` the hex length of
/// everything from the opening quote to the CR, and `id` a token such as `SIA-DCS` or
/// `*ADM-CID` (the `*` marks an encrypted body).
public struct DC09Frame: Sendable, Hashable {
    /// How the frame spelled its CRC.
    public enum CRCFormat: Sendable, Hashable { case ascii, binary }

    /// The token without quotes or `*`: `SIA-DCS`, `ADM-CID`, `NULL`, …
    public var token: String
    public var encrypted: Bool
    /// The four sequence digits as sent, echoed back in the reply.
    public var sequenceText: String
    /// 0…9999 read as decimal, as the standard writes it; −1 when the digits include A–F
    /// (see `sequence(hex:)`).
    public var sequence: Int
    /// `R…` as sent (with the `R`), echoed back; nil when absent.
    public var receiver: String?
    /// `L…` (the account prefix / line) as sent, echoed back; nil when absent.
    public var line: String?
    /// The account, without `#`.
    public var account: String
    /// Everything after the `[` up to the CR: plain content, or hex ciphertext when encrypted.
    public var body: [UInt8]
    public var crcFormat: CRCFormat

    public init(
        token: String, encrypted: Bool, sequenceText: String, sequence: Int, receiver: String?, line: String?,
        account: String, body: [UInt8], crcFormat: CRCFormat = .ascii
    ) {
        self.token = token
        self.encrypted = encrypted
        self.sequenceText = sequenceText
        self.sequence = sequence
        self.receiver = receiver
        self.line = line
        self.account = account
        self.body = body
        self.crcFormat = crcFormat
    }

    /// The sequence number: decimal, or hex for diallers that write it so (`sequence_hex`).
    public func sequence(hex: Bool) -> Int? {
        hex ? Int(sequenceText, radix: 16) : (sequence >= 0 ? sequence : nil)
    }
}
