import Crypto
import Foundation
import _CryptoExtras

/// AES-CBC with a zero IV and no block padding, as SIA DC-09 encrypts a frame's body: the
/// plaintext is padded in front with bytes other than `[`, `]` and `|`, then `|`.
public struct DC09Cipher: Sendable {
    private let key: SymmetricKey

    /// `key` must be 16, 24 or 32 bytes (AES-128, -192, -256).
    public init?(key: [UInt8]) {
        guard [16, 24, 32].contains(key.count) else { return nil }
        self.key = SymmetricKey(data: key)
    }

    /// Decrypts an encrypted body: ASCII hex ciphertext, a whole number of blocks.
    public func decrypt(hexBody: [UInt8]) -> Result<[UInt8], DC09FrameError> {
        guard hexBody.count % 32 == 0, !hexBody.isEmpty else {
            return .failure(.undecryptable("encrypted body of \(hexBody.count) hex digits is not whole 16-byte blocks"))
        }
        var ciphertext = [UInt8]()
        ciphertext.reserveCapacity(hexBody.count / 2)
        var i = 0
        while i < hexBody.count {
            guard let byte = DC09FrameParser.hexValue(hexBody[i..<i + 2]) else {
                return .failure(.undecryptable("encrypted body is not hex"))
            }
            ciphertext.append(UInt8(byte))
            i += 2
        }
        do {
            let iv = try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
            let plain = try AES._CBC.decrypt(ciphertext, using: key, iv: iv, noPadding: true)
            return .success([UInt8](plain))
        } catch {
            return .failure(.undecryptable("AES-CBC: \(error)"))
        }
    }

    /// Encrypts `content` (what follows the `|`) with `padding` in front, as upper-case hex.
    /// `padding` supplies pad bytes; the first `(16 - (content + 1) % 16) % 16` are used, so a
    /// caller passes at least 15.
    public func encrypt(content: [UInt8], padding: [UInt8]) -> [UInt8] {
        let padCount = (16 - (content.count + 1) % 16) % 16
        var plain = [UInt8]()
        plain.reserveCapacity(padCount + 1 + content.count)
        for k in 0..<padCount {
            var b = k < padding.count ? padding[k] : 0x41
            if b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "|") { b = 0x41 }
            plain.append(b)
        }
        plain.append(UInt8(ascii: "|"))
        plain += content
        // Cannot fail: the key was checked at init and the plaintext is whole blocks.
        let iv = try! AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
        let sealed = try! AES._CBC.encrypt(plain, using: key, iv: iv, noPadding: true)
        let digits = Array("0123456789ABCDEF".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(sealed.count * 2)
        for b in sealed {
            hex.append(digits[Int(b >> 4)])
            hex.append(digits[Int(b & 0xF)])
        }
        return hex
    }

    /// The content of a decrypted body: what follows the padding and its `|`. Padding bytes
    /// may be anything but `|` (some transmitters send binary ones).
    public static func content(ofPlaintext plain: [UInt8]) -> Result<[UInt8], DC09FrameError> {
        guard let bar = plain.firstIndex(of: UInt8(ascii: "|")) else {
            return .failure(.undecryptable("no '|' after the padding: wrong key?"))
        }
        let content = Array(plain[(bar + 1)...])
        guard content.contains(UInt8(ascii: "]")) else {
            return .failure(.undecryptable("decrypted content has no ']': wrong key?"))
        }
        return .success(content)
    }
}
