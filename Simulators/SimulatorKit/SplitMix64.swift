/// A tiny, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64), so a
/// simulation with the same seed makes the same choices on every run and platform.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for a named part of the simulation (a device, a car), so adding
    /// one part does not change the choices of the others.
    public func fork(_ name: String) -> SplitMix64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        var copy = SplitMix64(seed: state ^ hash)
        _ = copy.next()
        return copy
    }
}
