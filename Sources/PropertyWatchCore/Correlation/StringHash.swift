/// A fixed 64-bit hash of a string's UTF-8 bytes: deterministic across processes and runs
/// (unlike `Hasher`), and a few instructions for the short identifiers the engine looks up on
/// every message.
///
/// Strings of at most 15 bytes are hashed as two zero-padded little-endian words. Swift keeps
/// such strings inline in exactly that form, so for them the words are read straight from the
/// string's representation; a check at first use compares that with the bytes read through
/// the public API, and if the representation ever differs every string takes the byte path.
enum StringHash {
    static let defaultSeed: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func hash(_ string: String, seed: UInt64 = defaultSeed) -> UInt64 {
        if inlineLayoutChecked, let (w0, w1, count) = inlineWords(string) {
            return short(w0, w1, count: count, seed: seed)
        }
        return slow(string, seed: seed)
    }

    /// The string's raw words when it is stored inline (small), with its byte count.
    @inline(__always)
    private static func inlineWords(_ string: String) -> (UInt64, UInt64, Int)? {
        let (w0, w1) = unsafeBitCast(string, to: (UInt64, UInt64).self)
        // Discriminator in the top nibble of the second word: bit 61 set means small.
        guard w1 & (1 << 61) != 0 else { return nil }
        return (w0, w1 & 0x00FF_FFFF_FFFF_FFFF, Int((w1 >> 56) & 0xF))
    }

    private static let inlineLayoutChecked: Bool = {
        var ok = true
        for probe in ["", "a", "site-42", "panel-12345678", "åäö-ü", String(repeating: "x", count: 15)] {
            // Built at run time, so the strings are native small strings, not literals.
            let s = String(decoding: Array(probe.utf8), as: UTF8.self)
            guard let (w0, w1, count) = inlineWords(s), count == s.utf8.count else { ok = false; break }
            let (b0, b1) = Array(s.utf8).withUnsafeBytes { words($0) }
            if (w0, w1) != (b0, b1) { ok = false }
        }
        let long = String(decoding: Array(String(repeating: "y", count: 40).utf8), as: UTF8.self)
        if inlineWords(long) != nil { ok = false }
        return ok
    }()

    @inline(never)
    private static func slow(_ string: String, seed: UInt64) -> UInt64 {
        var copy = string
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let n = bytes.count
        if n <= 15 {
            let (w0, w1) = words(bytes)
            return short(w0, w1, count: n, seed: seed)
        }
        var h = seed ^ (UInt64(n) &* 0xFF51_AFD7_ED55_8CCD)
        var i = 0
        while i + 8 <= n {
            h = round(h, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return finish(round(h, tail))
    }

    /// Up to 15 bytes as two zero-padded little-endian words.
    private static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { raw in
            for i in 0..<min(15, bytes.count) { raw[i] = bytes[i] }
        }
        return (UInt64(littleEndian: w.0), UInt64(littleEndian: w.1))
    }

    @inline(__always)
    private static func short(_ w0: UInt64, _ w1: UInt64, count: Int, seed: UInt64) -> UInt64 {
        let h = seed ^ (UInt64(count) &* 0xFF51_AFD7_ED55_8CCD)
        return finish(round(round(h, w0), w1))
    }

    @inline(__always)
    private static func round(_ h: UInt64, _ word: UInt64) -> UInt64 {
        var k = word &* 0x87C3_7B91_1142_53D5
        k = (k << 31) | (k >> 33)
        k = k &* 0x4CF5_AD43_2745_937F
        let x = h ^ k
        return ((x << 27) | (x >> 37)) &* 5 &+ 0x52DC_E729
    }

    /// MurmurHash3's finaliser: every input bit affects every output bit.
    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
