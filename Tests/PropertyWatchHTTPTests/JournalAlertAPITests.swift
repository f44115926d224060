import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import Testing

/// The real backend, with the pipeline's counters replaced by those of a journal outage.
struct OutageBackend: OperatorBackend {
    let base: RecordingBackend
    var statistics: PipelineStatistics.Snapshot {
        var s = base.statistics
        s.journalFailing = true
        s.journalCommitFailures = 7
        s.heldMessages = 412
        s.journalError = "SQLite error 13: database or disk is full"
        return s
    }
    var journal: Journal { base.journal }
    var configuration: WatchConfiguration { base.configuration }
    var inboxStalls: Int { base.inboxStalls }
    var brokerStatus: String { base.brokerStatus }
    func now() -> Timestamp? { base.now() }
    func knows(site: SiteID) -> Bool { base.knows(site: site) }
    func submit(_ input: OperatorInput) { base.submit(input) }
}

/// `/health`, `/metrics` and `/api/purges` for issue 16: the journal alert and the purge record.
@Suite struct JournalAlertAPITests {
    let fixture: APIFixture

    init() throws { fixture = try APIFixture() }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    @Test func healthIsRedWhileJournalCommitsFail() async throws {
        let app = try OperatorAPI.application(
            backend: OutageBackend(base: fixture.backend), host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
        try await app.test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let health = try decode(HealthReport.self, response)
                #expect(health.status == "critical")
                #expect(health.journal == "commit-failing")
                #expect(health.heldMessages == 412)
                #expect(health.journalError?.contains("disk is full") == true)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("# TYPE propertywatch_journal_failing gauge\npropertywatch_journal_failing 1\n"))
                #expect(body.contains("propertywatch_journal_commit_failures_total 7"))
                #expect(body.contains("propertywatch_messages_held 412"))
            }
        }
    }

    @Test func healthIsGreenWithoutAnOutage() async throws {
        let app = try OperatorAPI.application(backend: fixture.backend, host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
        try await app.test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let health = try decode(HealthReport.self, response)
                #expect(health.heldMessages == nil)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("propertywatch_journal_failing 0"))
            }
        }
    }

    @Test func purgesAreListedNewestFirst() async throws {
        let journal = fixture.pipeline.journal
        let now = APIFixture.now.millisecondsSinceEpoch
        let old = now - 40 * 86_400_000
        try journal.commit { tx in
            try Array("propertywatch/v1/sites/broskolan/cameras/cam-1".utf8).withUnsafeBytes { t in
                try Array("{}".utf8).withUnsafeBytes { p in
                    try tx.insertEvent(receivedAt: old, topic: t, payload: p, site: "broskolan", device: "cam-1", sequence: nil)
                }
            }
        }
        _ = try journal.purge(now: now, retention: JournalRetention())
        let app = try OperatorAPI.application(backend: fixture.backend, host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/purges?limit=5", method: .get) { response in
                #expect(response.status == .ok)
                let list = try decode(PurgeList.self, response)
                #expect(list.purges == [PurgeRecord(what: "camera-events", count: 1, time: now, cutoff: now - 30 * 86_400_000)])
            }
        }
    }
}
