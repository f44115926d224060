import Testing
@testable import SimulatorKit

struct SplitMix64Tests {
    @Test func sameSeedSameSequence() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }

    @Test func knownFirstValues() {
        // Reference values of SplitMix64 for seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func forksAreIndependentAndStable() {
        let root = SplitMix64(seed: 7)
        var p1 = root.fork("car-P1"), p1again = root.fork("car-P1"), p2 = root.fork("car-P2")
        let a = p1.next()
        #expect(a == p1again.next())
        #expect(a != p2.next())
    }
}
