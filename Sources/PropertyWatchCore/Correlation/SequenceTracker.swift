/// Per-device deduplication and sequence checking, kept inline (no heap object per device).
///
/// Sequences are checked against a sliding window of the last 64 numbers (a bit per number,
/// as an anti-replay window): a number seen in it is a duplicate; one in it not yet seen is a
/// late (out-of-order) event, accepted; one older than the window is a redelivery, a
/// duplicate. A jump forward of more than one is a gap, naming the missing numbers. SIA DC-09
/// numbers run 0001–9999 and wrap: 9999 → 0001 is the next event, not a reset, and a loss
/// across the wrap is a gap. Going back to 0 or 1 otherwise is a reset (a device reboot): no
/// gap is reported and the window starts afresh. The events of one multi-event SIA DC-09 frame
/// share the frame's number and come as parts 1, 2, 3, …: a later part of the latest frame is
/// admitted once, and a part at or below the highest seen is a retransmission, whatever the ids
/// remembered. Event ids are remembered for the device's
/// last `memory` events (compared by a 64-bit `ByteHash`; two different ids of one device
/// colliding within that window is negligible, about 2⁻⁶⁰).
struct SequenceTracker: Sendable {
    enum Admission: Equatable {
        case fresh
        case duplicate
        case late
        case reset
        case gap(from: UInt64, to: UInt64)
    }

    /// Recent event ids remembered per device.
    static let memory = 6
    /// Sequence numbers remembered behind the latest (the window's width).
    static let window: UInt64 = 64
    /// SIA DC-09 sequence numbers wrap after this one to 0001.
    static let wrapAt: UInt64 = 9999
    /// Stands for "no sequence" (camera triggers) in the ring.
    static let noSequence = UInt64.max

    private(set) var latest: UInt64 = 0
    /// The highest part of the latest frame admitted (1 for a single-event frame).
    private var latestPart: UInt8 = 1
    private var started = false
    private var cursor: UInt8 = 0
    private var count: UInt8 = 0
    /// Bit i: sequence `latest - i` (counting across a wrap) was seen.
    private var seen: UInt64 = 0
    /// (sequence, id hash) pairs.
    private var ring: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// How far `sequence` is ahead of `latest` (negative: behind), counting a DC-09 wrap.
    static func distance(from latest: UInt64, to sequence: UInt64) -> Int64 {
        if latest <= wrapAt, latest > wrapAt - window, sequence >= 1, sequence <= window {
            return Int64(wrapAt - latest) + Int64(sequence)  // 9999 → 0001 is one step
        }
        if sequence <= wrapAt, sequence > wrapAt - window, latest >= 1, latest <= window {
            return -(Int64(wrapAt - sequence) + Int64(latest))  // 9998 arriving after 0002
        }
        if sequence >= latest { return Int64(clamping: sequence - latest) }
        return -Int64(clamping: latest - sequence)
    }

    /// The numbers skipped between `from` and `to` (exclusive), at most `limit`, across a wrap.
    static func missing(from: UInt64, to: UInt64, limit: Int = 20) -> [UInt64] {
        var result: [UInt64] = []
        var n = from
        for _ in 0..<limit {
            n = (n >= wrapAt && to <= window) ? 1 : n + 1
            if n == to { break }
            result.append(n)
        }
        return result
    }

    /// - Parameter part: the event's place in a multi-event frame (1 for the first or only one).
    mutating func admit(sequence: UInt64, idHash: UInt64, part: UInt8 = 1) -> Admission {
        let n = Int(count)
        let duplicateID = withUnsafeBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in 0..<n where words[2 * i + 1] == idHash { return true }
            return false
        }
        if duplicateID { return .duplicate }
        if part > 1, started, sequence == latest {
            // The next event of the latest frame, or a retransmission of one already admitted.
            guard part > latestPart else { return .duplicate }
            latestPart = part
            remember(sequence, idHash)
            return .fresh
        }
        guard started else {
            started = true
            latest = sequence
            latestPart = part
            seen = 1
            remember(sequence, idHash)
            return .fresh
        }
        let d = Self.distance(from: latest, to: sequence)
        let admission: Admission
        if d == 0 {
            return .duplicate
        } else if d > 0 {
            admission = d == 1 ? .fresh : .gap(from: latest, to: sequence)
            seen = d >= 64 ? 1 : (seen << UInt64(d)) | 1
            latest = sequence
            latestPart = part
        } else if sequence <= 1, -d >= Int64(Self.window) || seen & (UInt64(1) << UInt64(-d)) != 0 {
            // Back to the start, not a gap being filled: a reboot.
            admission = .reset
            count = 0
            cursor = 0
            latest = sequence
            latestPart = part
            seen = 1
        } else if -d >= Int64(Self.window) {
            // Older than the window: a redelivery of something long since handled.
            return .duplicate
        } else {
            let bit = UInt64(1) << UInt64(-d)
            if seen & bit != 0 { return .duplicate }
            seen |= bit
            admission = .late
        }
        remember(sequence, idHash)
        return admission
    }

    /// Camera triggers: deduplicated by event id only.
    mutating func admit(idHash: UInt64) -> Bool {
        let n = Int(count)
        let duplicate = withUnsafeBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in 0..<n where words[2 * i + 1] == idHash { return true }
            return false
        }
        if duplicate { return false }
        remember(Self.noSequence, idHash)
        return true
    }

    private mutating func remember(_ sequence: UInt64, _ idHash: UInt64) {
        let i = Int(count) < Self.memory ? Int(count) : Int(cursor)
        withUnsafeMutableBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            words[2 * i] = sequence
            words[2 * i + 1] = idHash
        }
        if Int(count) < Self.memory {
            count += 1
        } else {
            cursor = UInt8((Int(cursor) + 1) % Self.memory)
        }
    }

    /// The remembered pairs, oldest first: what equality compares.
    private var remembered: [UInt64] {
        var copy = ring
        let words = withUnsafeBytes(of: &copy) { Array($0.bindMemory(to: UInt64.self).prefix(2 * Int(count))) }
        let start = Int(count) < Self.memory ? 0 : 2 * Int(cursor)
        return Array(words[start...] + words[..<start])
    }
}

extension SequenceTracker: Hashable {
    static func == (a: SequenceTracker, b: SequenceTracker) -> Bool {
        a.latest == b.latest && a.latestPart == b.latestPart && a.started == b.started && a.seen == b.seen && a.count == b.count
            && a.remembered == b.remembered
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(latest)
        hasher.combine(latestPart)
        hasher.combine(seen)
        hasher.combine(remembered)
    }
}

extension SequenceTracker: Codable {
    private enum CodingKeys: String, CodingKey { case latest, latestPart, started, cursor, count, seen, ring }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latest = try c.decode(UInt64.self, forKey: .latest)
        latestPart = try c.decodeIfPresent(UInt8.self, forKey: .latestPart) ?? 1
        started = try c.decode(Bool.self, forKey: .started)
        cursor = try c.decode(UInt8.self, forKey: .cursor)
        count = try c.decode(UInt8.self, forKey: .count)
        seen = try c.decode(UInt64.self, forKey: .seen)
        let ring = try c.decode([UInt64].self, forKey: .ring)
        guard ring.count == 12 else {
            throw DecodingError.dataCorruptedError(forKey: .ring, in: c, debugDescription: "expected 12 ring words, got \(ring.count)")
        }
        withUnsafeMutableBytes(of: &self.ring) { raw in
            for (i, word) in ring.enumerated() { raw.storeBytes(of: word, toByteOffset: i * 8, as: UInt64.self) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(latest, forKey: .latest)
        try c.encode(latestPart, forKey: .latestPart)
        try c.encode(started, forKey: .started)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(count, forKey: .count)
        try c.encode(seen, forKey: .seen)
        var copy = ring
        let words = withUnsafeBytes(of: &copy) { raw in (0..<12).map { raw.load(fromByteOffset: $0 * 8, as: UInt64.self) } }
        try c.encode(words, forKey: .ring)
    }
}
