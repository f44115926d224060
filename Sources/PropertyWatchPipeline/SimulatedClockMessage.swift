import PropertyWatchCore

/// `{"v":1,"time":<epoch ms>}` on the virtual clock topics.
enum SimulatedClockMessage {
    /// The time in a clock message, or nil if it is not one.
    static func time(in payload: UnsafeRawBufferPointer) -> Timestamp? {
        // Small and fixed: find `"time":` and read the digits after it.
        let bytes = Array(payload)
        let key = Array("\"time\":".utf8)
        guard bytes.count < 256, let start = bytes.firstRange(of: key)?.upperBound else { return nil }
        var value: Int64 = 0
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        let first = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - first < 16 {
            value = value * 10 + Int64(bytes[index] - 48)
            index += 1
        }
        return index > first ? Timestamp(millisecondsSinceEpoch: value) : nil
    }

    static func encode(_ time: Timestamp) -> [UInt8] {
        Array("{\"v\":1,\"time\":\(time.millisecondsSinceEpoch)}".utf8)
    }
}
