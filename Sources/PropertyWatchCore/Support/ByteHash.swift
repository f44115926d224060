/// PropertyWatch's one hash function: a fixed 64-bit hash of bytes, eight at a time.
///
/// Unlike `Hasher` it is the same in every process and run, so values derived from it may be
/// kept in snapshots: the directory's device table (`DeviceLookup`) and the event-id memory of
/// each device's `SequenceTracker` use it.
enum ByteHash {
    static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = seed) -> UInt64 {
        var h = seed ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0x9FB2_1C65_1E98_DF25
            h ^= h >> 29
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9FB2_1C65_1E98_DF25
            h ^= h >> 29
        }
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    /// The hash of a string's UTF-8 bytes.
    @inline(__always)
    static func hash(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }
}
