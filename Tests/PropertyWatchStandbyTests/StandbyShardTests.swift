import Foundation
import PropertyWatchHA
import PropertyWatchTestSupport
import Testing

/// Two shards of the sites, each its own pair (here one daemon each), on one broker.
@Suite("shards on one broker")
struct StandbyShardTests {
    @Test func twoShardsOnOneBrokerSplitTheSitesWithNoOverlapAndNoGap() throws {
        let broker = try TestBroker(persistent: false)
        let shards = try (0..<2).map { try StandbyPairFixture(broker: broker, shard: (index: $0, count: 2)) }
        let recorders = try shards.map { try PairRecorder($0) }
        let daemons = try shards.map { try $0.start("a") }
        defer { for d in daemons { _ = d.terminate() } }
        for (shard, recorder) in recorders.enumerated() {
            #expect(recorder.waitForActive("a") == "a", "shard \(shard) has no active daemon")
        }
        // Both shards split the example sites between them.
        let expected = (0..<2).map { ShardAssignment(index: $0, count: 2).sites(StandbyPairFixture.sites) }
        #expect(expected.allSatisfy { !$0.isEmpty })

        let publisher = try TestPublisher(port: broker.port)
        for site in StandbyPairFixture.sites {
            let (topic, payload) = StandbyPairFixture.fire(site: site, seq: 1)
            #expect(publisher.publish(topic, payload))
        }
        // Every site is dispatched (both recorders see every request: they read one broker).
        let all = Set(StandbyPairFixture.sites)
        recorders[0].wait { _ in recorders[0].dispatchedSites == all }
        #expect(recorders[0].dispatchedSites == all)
        recorders[0].settle(1)
        // Counted by site: incident ids are numbered per daemon, so two shards both have a
        // first incident of the day (see STANDBY.md on ids across shards).
        var perSite: [String: Int] = [:]
        for r in recorders[0].requests { perSite[r.object["site"] as? String ?? "?", default: 0] += 1 }
        #expect(perSite.values.allSatisfy { $0 == 1 }, "a site dispatched twice: \(perSite)")
        for d in daemons { _ = d.terminate() }

        // Each shard journaled exactly its own sites: no overlap, no gap.
        let journaled = try shards.map { Set(try $0.journaledSequences("a").map { String($0.split(separator: ":")[0]) }) }
        #expect(journaled[0] == Set(expected[0]))
        #expect(journaled[1] == Set(expected[1]))
        #expect(journaled[0].isDisjoint(with: journaled[1]))
        #expect(journaled[0].union(journaled[1]) == all)
    }
}
