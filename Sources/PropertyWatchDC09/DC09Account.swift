import PropertyWatchConfig
import PropertyWatchCore

/// A configured panel account with its key loaded.
public struct DC09Account: Sendable {
    public var settings: DC09AccountSettings
    /// Nil when the account has no key (then only unencrypted frames, if allowed).
    public var cipher: DC09Cipher?

    public init(settings: DC09AccountSettings, cipher: DC09Cipher?) {
        self.settings = settings
        self.cipher = cipher
    }

    /// Parses a key file's text: hex digits (32, 48 or 64) and surrounding whitespace.
    public static func parseKey(_ text: String) -> Result<[UInt8], DC09KeyError> {
        var trimmed = Substring(text)
        while let c = trimmed.first, c.isWhitespace { trimmed.removeFirst() }
        while let c = trimmed.last, c.isWhitespace { trimmed.removeLast() }
        let hex = String(trimmed)
        guard [32, 48, 64].contains(hex.utf8.count) else {
            return .failure(.badLength(hex.utf8.count))
        }
        var key: [UInt8] = []
        let bytes = Array(hex.utf8)
        var i = 0
        while i < bytes.count {
            guard let v = DC09FrameParser.hexValue(bytes[i..<i + 2]) else { return .failure(.notHex) }
            key.append(UInt8(v))
            i += 2
        }
        return .success(key)
    }
}

/// Why a key file was refused.
public enum DC09KeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case badLength(Int)
    case notHex
    case readable(mode: Int)
    case unreadable(String)

    public var description: String {
        switch self {
        case .badLength(let n): "key has \(n) hex digits; AES-128, -192 and -256 need 32, 48 or 64"
        case .notHex: "key is not hex digits"
        case .readable(let mode): "key file mode is \(String(mode, radix: 8)): it must not be readable or writable by group or others (chmod 600)"
        case .unreadable(let why): "cannot read key file: \(why)"
        }
    }
}
