/// The payload mix of a load run: relative weights of heartbeats, intrusion alarms, fire
/// alarms and camera triggers, picked by a seeded generator.
public struct LoadMix: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case heartbeat, intrusion, fire, camera
    }

    public var weights: [(Kind, Int)] { Kind.allCases.compactMap { k in table[k].map { (k, $0) } }.filter { $0.1 > 0 } }
    private var table: [Kind: Int]

    /// `"heartbeat=70,intrusion=20,camera=8,fire=2"`; nil when malformed or all weights are 0.
    public init?(_ text: String) {
        var table: [Kind: Int] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let kind = Kind(rawValue: String(kv[0])), let w = Int(kv[1]), w >= 0 else { return nil }
            table[kind] = w
        }
        guard table.values.reduce(0, +) > 0 else { return nil }
        self.table = table
    }

    public static func == (a: LoadMix, b: LoadMix) -> Bool { a.table == b.table }
    public func hash(into h: inout Hasher) { h.combine(table) }

    /// The next kind, by weight.
    public func pick(_ rng: inout SplitMix64) -> Kind {
        let w = weights
        let total = w.reduce(0) { $0 + $1.1 }
        var r = Int(rng.next() % UInt64(total))
        for (kind, weight) in w {
            if r < weight { return kind }
            r -= weight
        }
        return w.last!.0
    }
}
