import Foundation
import PropertyWatchHA
import Testing

/// Sharding sites across daemon pairs: every site in exactly one shard.
@Suite struct ShardAssignmentTests {
    static let sites = (1...500).map { "site-\($0)" } + ["broskolan", "bro-sporthall", "kungsangen-skola"]

    @Test(arguments: [1, 2, 3, 7])
    func shardsSplitTheSitesWithNoOverlapAndNoGap(count: Int) {
        let shards = (0..<count).map { ShardAssignment(index: $0, count: count).sites(Self.sites) }
        #expect(shards.reduce(0) { $0 + $1.count } == Self.sites.count)
        #expect(Set(shards.flatMap { $0 }) == Set(Self.sites))
        if count > 1 {
            // Roughly even: no shard gets less than half its share.
            #expect(shards.allSatisfy { $0.count * count * 2 >= Self.sites.count })
        }
    }

    @Test func theAssignmentIsStable() {
        #expect(ShardAssignment.shard(of: "broskolan", count: 2) == ShardAssignment.shard(of: "broskolan", count: 2))
        // FNV-1a of the id: fixed, so two machines (and two releases) agree.
        #expect(ShardAssignment.shard(of: "a", count: 1_000_000) == Int(0xaf63dc4c8601ec8c % UInt64(1_000_000)))
    }

    @Test func subscriptionsNameTheShardsSitesAndKeepTheRest() {
        let shard = ShardAssignment(index: 0, count: 2)
        let sites = ["x1", "x2", "x3", "x4"]
        let mine = shard.sites(sites)
        let filters = shard.subscriptions(sites: sites, all: ["pw/sites/+/alarms/+", "pw/units/+/position"])
        #expect(filters == mine.map { "pw/sites/\($0)/alarms/+" } + ["pw/units/+/position"])
    }
}
