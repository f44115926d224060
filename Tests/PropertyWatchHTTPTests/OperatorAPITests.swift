import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import ServiceLifecycle
import Testing

/// The operator API over real HTTP (a live server on a free port), a real pipeline and a
/// real SQLite journal.
@Suite struct OperatorAPITests {
    let fixture: APIFixture

    init() throws { fixture = try APIFixture() }

    func app() throws -> some ApplicationProtocol {
        try OperatorAPI.application(backend: fixture.backend, host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func healthReportsBrokerAndJournal() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let health = try decode(HealthReport.self, response)
                #expect([health.status, health.broker, health.journal] == ["ok", "connected", "ok"])
            }
        }
    }

    @Test func metricsUseThePrometheusTextFormat() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let body = text(response)
                #expect(body.contains("# TYPE propertywatch_messages_received_total counter\npropertywatch_messages_received_total 0\n"))
                #expect(body.contains(#"propertywatch_messages_rejected_total{reason="malformed-json"} 0"#))
                #expect(body.contains("propertywatch_inbox_stalls_total 0"))
                #expect(body.contains("# TYPE propertywatch_outbox_deferrals_total counter\npropertywatch_outbox_deferrals_total 0\n"))
                #expect(body.contains("propertywatch_broker_connected 1"))
            }
        }
    }

    @Test func statusIsTheCountersAsJSON() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/status", method: .get) { response in
                #expect(response.status == .ok)
                let status = try decode(StatusReport.self, response)
                #expect(status.broker == "connected")
                #expect(status.journal == "ok")
                #expect(status.received == 0)
            }
        }
    }

    @Test func incidentsListsOpenOnesByDefaultAndAllOnRequest() async throws {
        try fixture.seedIncident("inc-open")
        try fixture.seedIncident("inc-closed", closed: true)
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/incidents", method: .get) { response in
                #expect(response.status == .ok)
                let list = try decode(IncidentList.self, response)
                #expect(list.incidents.map(\.id) == ["inc-open"])
                #expect(list.incidents.first?.state == "dispatched")
                #expect(list.incidents.first?.lastCause == "unit P1 requested")
                #expect(list.incidents.first?.site == "broskolan")
            }
            try await client.execute(uri: "/api/incidents?state=all&limit=10", method: .get) { response in
                let ids = try decode(IncidentList.self, response).incidents.map(\.id)
                #expect(Set(ids) == ["inc-open", "inc-closed"])
            }
            try await client.execute(uri: "/api/incidents?state=all&limit=1", method: .get) { response in
                let list = try decode(IncidentList.self, response)
                #expect(list.incidents.count == 1)
            }
        }
    }

    @Test(arguments: ["/api/incidents?state=closed", "/api/incidents?limit=0", "/api/incidents?limit=abc", "/api/dead-letters?limit=100000"])
    func badQueriesAreRejected(uri: String) async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(!text(response).isEmpty)
            }
        }
    }

    @Test func incidentDetailHasItsTransitions() async throws {
        try fixture.seedIncident("inc-1")
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/incidents/inc-1", method: .get) { response in
                #expect(response.status == .ok)
                let detail = try decode(IncidentDetail.self, response)
                #expect(detail.incident.id == "inc-1")
                #expect(detail.transitions.map(\.to) == ["new", "dispatched"])
                #expect(detail.transitions.first?.from == nil)
            }
            try await client.execute(uri: "/api/incidents/nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func decisionsExplainEachAlarmAndFilter() async throws {
        try fixture.seedIncident("inc-1")
        try fixture.seedDecisions(incident: "inc-1")
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/decisions", method: .get) { response in
                #expect(response.status == .ok)
                let list = try decode(DecisionList.self, response)
                #expect(list.decisions.map(\.verdict) == ["observation", "awaiting-verification"])  // newest first
                #expect(list.decisions.last?.rule == "unverified-intrusion: verify-first 5 min, then dispatch")
            }
            try await client.execute(uri: "/api/decisions?verdict=observation&site=broskolan", method: .get) { response in
                let devices = try decode(DecisionList.self, response).decisions.map(\.device)
                #expect(devices == ["cam-1"])
            }
            try await client.execute(uri: "/api/decisions?verdict=maybe", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/incidents/inc-1", method: .get) { response in
                let detail = try decode(IncidentDetail.self, response)
                #expect(detail.decisions.map(\.verdict) == ["awaiting-verification"])
            }
        }
    }

    @Test func lateEventsAreMarkedAndListedInTheOrderTheyHappened() async throws {
        try fixture.pipeline.journal.commit { tx in
            for (seq, minutesAgo) in [(2, 30), (1, 50)] {  // arrived in this order, happened in the other
                try tx.record(Decision(
                    time: APIFixture.now, site: "broskolan", device: "panel", input: "intrusion from panel seq \(seq)", verdict: .late,
                    rule: "late event", reason: "buffered", eventTime: APIFixture.now - .minutes(Int64(minutesAgo))))
            }
        }
        try fixture.seedDecisions(incident: "inc-1")
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/decisions?verdict=late&order=event-time", method: .get) { response in
                #expect(response.status == .ok)
                let list = try decode(DecisionList.self, response).decisions
                #expect(list.map(\.input) == ["intrusion from panel seq 1", "intrusion from panel seq 2"])
                #expect(list.allSatisfy { $0.late == true })
                #expect(list.first?.eventTime == (APIFixture.now - .minutes(50)).millisecondsSinceEpoch)
            }
            try await client.execute(uri: "/api/decisions?order=event-time", method: .get) { response in
                let list = try decode(DecisionList.self, response).decisions
                #expect(list.map(\.verdict) == ["late", "late", "awaiting-verification", "observation"])
                #expect(list.last?.late == nil)
                #expect(list.last?.eventTime == nil)
            }
            try await client.execute(uri: "/api/decisions?order=sideways", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func deadLettersAreListedWithoutPayloads() async throws {
        try fixture.seedDeadLetter()
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/dead-letters?limit=5", method: .get) { response in
                #expect(response.status == .ok)
                let list = try decode(DeadLetterList.self, response)
                #expect(list.deadLetters.count == 1)
                #expect(list.deadLetters.first?.reason == "malformed-json")
                #expect(list.deadLetters.first?.payloadSize == 8)
            }
        }
    }

    @Test func silenceIsSubmittedAndJournaled() async throws {
        let body = #"{"site":"broskolan","zone":"a","minutes":90,"author":"operator-1","reason":"cleaning crew"}"#
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/silences", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(fixture.recorder.recorded == [
            .silence(site: "broskolan", device: nil, zone: "a", from: APIFixture.now, until: APIFixture.now + .minutes(90),
                     author: "operator-1", reason: "cleaning crew")
        ])
        #expect(try fixture.journaledOperatorInputs() == 1)
    }

    @Test(arguments: [
        "not json",
        #"{"site":"broskolan","minutes":30,"author":"op"}"#,
        #"{"site":"elsewhere","minutes":30,"author":"op","reason":"r"}"#,
        #"{"site":"broskolan","author":"op","reason":"r"}"#,
        #"{"site":"broskolan","minutes":30,"until":1764000600000,"author":"op","reason":"r"}"#,
        #"{"site":"broskolan","minutes":-5,"author":"op","reason":"r"}"#,
        #"{"site":"broskolan","until":1763999000000,"author":"op","reason":"r"}"#,
        #"{"site":"broskolan","from":1764000000000,"until":1765000000000,"author":"op","reason":"r"}"#,
        #"{"site":"broskolan","minutes":30,"author":"  ","reason":"r"}"#,
    ])
    func badSilencesAreRejected(body: String) async throws {
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/silences", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(text(response).contains(#""message":"#))
            }
        }
        #expect(fixture.recorder.recorded.isEmpty)
    }

    @Test func closeIsSubmittedForAKnownIncident() async throws {
        try fixture.seedIncident("inc-2")
        let body = #"{"author":"operator-1","reason":"false alarm, checked on camera"}"#
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/incidents/inc-2/close", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(
                uri: "/api/incidents/unknown/close", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/api/incidents/inc-2/close", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"author":"operator-1"}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(fixture.recorder.recorded == [.close(incident: "inc-2", author: "operator-1", reason: "false alarm, checked on camera")])
        #expect(try fixture.journaledOperatorInputs() == 1)
    }

    @Test func directedCheckIsSubmitted() async throws {
        let body = #"{"site":"broskolan","notBefore":1764003600000,"author":"operator-1","reason":"door reported open"}"#
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/directed-checks", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .accepted)
            }
            for bad in [#"{"site":"nowhere","author":"a","reason":"r"}"#, #"{"site":"broskolan","notBefore":5,"author":"a","reason":"r"}"#, "[]"] {
                try await client.execute(
                    uri: "/api/directed-checks", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: bad)
                ) { response in
                    #expect(response.status == .badRequest)
                }
            }
        }
        #expect(fixture.recorder.recorded == [
            .directedCheck(site: "broskolan", notBefore: Timestamp(millisecondsSinceEpoch: 1_764_003_600_000), author: "operator-1", reason: "door reported open")
        ])
        #expect(try fixture.journaledOperatorInputs() == 1)
    }

    @Test func dashboardIsSelfContainedHTML() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = text(response)
                #expect(page.contains("/api/board"))
                #expect(page.contains("/api/status"))
                #expect(page.contains("new EventSource(\"/api/events\")"))
                #expect(page.contains("Europe/Stockholm"))
                // Nothing is loaded from elsewhere: no external scripts, styles or images.
                #expect(!page.contains("src=\"http") && !page.contains("<link") && !page.contains("@import"))
            }
        }
    }
}

/// Passes each log message to a stream, so a test can wait for one.
struct StreamLogHandler: LogHandler {
    let continuation: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        continuation.yield(event.message.description)
    }
}

/// The daemon's wrapper around the API.
@Suite struct OperatorHTTPServiceTests {
    @Test func aTakenPortIsLoggedAndDoesNotStopTheDaemon() async throws {
        let fixture = try APIFixture()
        let holder = try OperatorAPI.application(backend: fixture.backend, host: "127.0.0.1", port: 0, logger: Logger(label: "test.http"))
        try await holder.test(.live) { client in
            let port = try #require(client.port)
            let (messages, continuation) = AsyncStream.makeStream(of: String.self)
            let logger = Logger(label: "test.http.second") { _ in StreamLogHandler(continuation: continuation) }
            let service = OperatorHTTPService(backend: fixture.backend, host: "127.0.0.1", port: port, logger: logger)
            let group = ServiceGroup(services: [service], logger: Logger(label: "test.group"))
            let running = Task { try await group.run() }
            var failed = false
            for await message in messages where message == "http.failed" {
                failed = true
                break
            }
            #expect(failed)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
