/// Which sites one daemon pair serves when sites are sharded across pairs: a site belongs to
/// shard `hash(id) mod count`, with a hash that is the same on every machine and run, so
/// every site has exactly one shard and the assignment needs no coordination.
public struct ShardAssignment: Sendable, Hashable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard index out of range")
        self.index = index
        self.count = count
    }

    /// The shard a site belongs to.
    public static func shard(of site: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in site.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    public func serves(_ site: String) -> Bool { Self.shard(of: site, count: count) == index }

    /// The shard's sites among `sites`, in their order.
    public func sites(_ sites: [String]) -> [String] { sites.filter(serves) }

    /// `all` with every per-site wildcard filter (`…/sites/+/…`) replaced by one filter per
    /// site of this shard; the other filters (units, Frigate) are kept.
    public func subscriptions(sites: [String], all: [String]) -> [String] {
        let mine = self.sites(sites)
        var result: [String] = []
        for filter in all {
            guard let range = filter.range(of: "/sites/+/") else {
                result.append(filter)
                continue
            }
            for site in mine { result.append(filter.replacingCharacters(in: range, with: "/sites/\(site)/")) }
        }
        return result
    }
}
