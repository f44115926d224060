import GRDB
import PropertyWatchTestSupport

extension StandbyPairFixture {
    /// `site:seq` of every journaled alarm of the smoke detectors in node `node`'s journal.
    func journaledSequences(_ node: String) throws -> Set<String> {
        let queue = try DatabaseQueue(path: journal(node))
        return try Set(queue.read { db in
            try Row.fetchAll(db, sql: "SELECT site, seq FROM event WHERE device = 'smoke-a'").map { "\($0["site"] as String):\($0["seq"] as Int)" }
        })
    }
}
