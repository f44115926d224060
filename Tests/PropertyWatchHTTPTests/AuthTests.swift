import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import PropertyWatchReport
import Testing

/// Authentication, roles and the audit log, over real HTTP with a users file, a real
/// pipeline and a real journal.
@Suite struct AuthTests {
    let fixture: APIFixture
    let directory: OperatorDirectory
    static let tokens = ["viewer": "viewer-token-1", "anna": "operator-token-1", "root": "admin-token-1"]

    init() throws {
        fixture = try APIFixture()
        let text = """
            # test operators
            viewer  viewer    token=sha256:\(OperatorDirectory.sha256Hex(Self.tokens["viewer"]!))
            anna    operator  token=sha256:\(OperatorDirectory.sha256Hex(Self.tokens["anna"]!))  password=bcrypt:\(Bcrypt.hash("correct horse", cost: 4))
            root    admin     token=sha256:\(OperatorDirectory.sha256Hex(Self.tokens["root"]!))
            """
        directory = OperatorDirectory(accounts: try UsersFile.parse(text, file: "users"))
    }

    func app(openHealth: Bool = true) throws -> some ApplicationProtocol {
        try OperatorAPI.application(
            backend: fixture.backend, host: "127.0.0.1", port: 0,
            options: .init(access: OperatorAccess(directory: directory, openHealthAndMetrics: openHealth)),
            logger: Logger(label: "test.http"))
    }

    func bearer(_ name: String) -> HTTPFields { [.authorization: "Bearer \(Self.tokens[name]!)", .contentType: "application/json"] }

    @Test(arguments: ["/api/status", "/api/incidents", "/api/board", "/api/events", "/api/audit", "/api/whoami", "/api/reports/last"])
    func readsWithoutCredentialsGet401(uri: String) async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer wrong-token"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func commandsWithoutCredentialsGet401AndSubmitNothing() async throws {
        try fixture.seedIncident("inc-1")
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/incidents/inc-1/acknowledge", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(fixture.recorder.recorded.isEmpty)
    }

    @Test func healthAndMetricsAreOpenOnlyWhenConfigured() async throws {
        try await app(openHealth: true).test(.live) { client in
            for uri in ["/health", "/metrics"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .ok) }
            }
        }
        try await app(openHealth: false).test(.live) { client in
            for uri in ["/health", "/metrics"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .unauthorized) }
                try await client.execute(uri: uri, method: .get, headers: bearer("viewer")) { response in #expect(response.status == .ok) }
            }
        }
    }

    /// (who, can read, can command, can read the audit)
    @Test(arguments: [("viewer", true, false, false), ("anna", true, true, false), ("root", true, true, true)])
    func rolesDecideWhatIsAllowed(name: String, read: Bool, command: Bool, audit: Bool) async throws {
        try fixture.seedIncident("inc-1")
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/incidents", method: .get, headers: bearer(name)) { response in
                #expect(response.status == (read ? .ok : .forbidden))
            }
            try await client.execute(
                uri: "/api/incidents/inc-1/notes", method: .post, headers: bearer(name), body: ByteBuffer(string: #"{"text":"looked at camera 2"}"#)
            ) { response in
                #expect(response.status == (command ? .accepted : .forbidden))
            }
            try await client.execute(uri: "/api/audit", method: .get, headers: bearer(name)) { response in
                #expect(response.status == (audit ? .ok : .forbidden))
            }
            try await client.execute(uri: "/api/whoami", method: .get, headers: bearer(name)) { response in
                let who = try JSONDecoder().decode(WhoAmI.self, from: Data(response.body.readableBytesView))
                #expect(who.name == name)
                #expect(who.method == "token")
            }
        }
        #expect(fixture.recorder.recorded == (command ? [.note(incident: "inc-1", author: name, text: "looked at camera 2")] : []))
    }

    @Test func theAuthenticatedOperatorIsTheAuthorNotTheBody() async throws {
        try fixture.seedIncident("inc-1")
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/incidents/inc-1/close", method: .post, headers: bearer("anna"),
                body: ByteBuffer(string: #"{"author":"somebody-else","reason":"cleaner","outcome":"false-alarm"}"#)
            ) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(
                uri: "/api/incidents/inc-1/close", method: .post, headers: bearer("anna"),
                body: ByteBuffer(string: #"{"reason":"x","outcome":"aliens"}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(fixture.recorder.recorded == [.close(incident: "inc-1", author: "anna", reason: "cleaner", outcome: .falseAlarm)])
    }

    @Test func everyWriteIsJournaledAndAuditedWithItsAuthor() async throws {
        try fixture.seedIncident("inc-1")
        try await app().test(.live) { client in
            for (uri, body) in [
                ("/api/incidents/inc-1/acknowledge", "{}"),
                ("/api/incidents/inc-1/notes", #"{"text":"guard on the way"}"#),
                ("/api/silences", #"{"site":"broskolan","device":"pir-a","minutes":30,"reason":"service visit"}"#),
                ("/api/directed-checks", #"{"site":"broskolan","reason":"door reported open"}"#),
            ] {
                try await client.execute(uri: uri, method: .post, headers: bearer("anna"), body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .accepted)
                }
            }
        }
        #expect(try fixture.journaledOperatorInputs() == 4)
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/audit", method: .get, headers: bearer("root")) { response in
                let audit = try JSONDecoder().decode(AuditList.self, from: Data(response.body.readableBytesView))
                #expect(audit.actions.map(\.action) == ["acknowledge", "note", "silence", "directed-check"])
                #expect(audit.actions.allSatisfy { $0.author == "anna" })
                #expect(audit.actions.first?.incident == "inc-1")
            }
            try await client.execute(uri: "/api/incidents/inc-1", method: .get, headers: bearer("viewer")) { response in
                let detail = try JSONDecoder().decode(IncidentDetail.self, from: Data(response.body.readableBytesView))
                let kinds = detail.timeline?.entries.map(\.kind) ?? []
                #expect(kinds.contains("acknowledge") && kinds.contains("note") && kinds.contains("state"))
                #expect(detail.timeline?.siteName == "Broskolan")
            }
        }
    }

    @Test func passwordLoginOpensASessionCookie() async throws {
        try await app().test(.live) { client in
            try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"anna","password":"wrong"}"#)
            ) { response in
                #expect(response.status == .unauthorized)
            }
            let cookie = try await client.execute(
                uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"anna","password":"correct horse"}"#)
            ) { response -> String in
                #expect(response.status == .ok)
                let setCookie = response.headers[.setCookie] ?? ""
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
                return String(setCookie.split(separator: ";")[0])
            }
            try await client.execute(uri: "/api/whoami", method: .get, headers: [.cookie: cookie]) { response in
                let who = try JSONDecoder().decode(WhoAmI.self, from: Data(response.body.readableBytesView))
                #expect(who.name == "anna" && who.method == "session")
            }
            // A command carried by the cookie must be JSON (no cross-site form posts).
            try await client.execute(
                uri: "/api/directed-checks", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "site=broskolan&reason=x")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: cookie]) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/whoami", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(fixture.recorder.recorded.isEmpty)
    }

    @Test(arguments: [
        ("anna operator", "users:1: expected: name role token=sha256:HEX and/or password=bcrypt:HASH"),
        ("anna boss token=sha256:\(String(repeating: "a", count: 64))", "users:1: role: boss is not viewer, operator or admin"),
        ("anna viewer token=hunter2", "users:1: token: expected sha256: and 64 hex digits"),
        ("anna viewer secret=hunter2", "users:1: unknown field secret=hunter2 (secrets are never stored in clear: use token=sha256:… or password=bcrypt:…)"),
        ("# x\nanna viewer token=sha256:\(String(repeating: "a", count: 64))\nanna admin token=sha256:\(String(repeating: "b", count: 64))", "users:3: name: anna appears twice"),
    ])
    func badUsersFilesSayWhereAndWhy(text: String, problem: String) {
        #expect(throws: UsersFile.Problem.self) { try UsersFile.parse(text, file: "users") }
        do { _ = try UsersFile.parse(text, file: "users") } catch { #expect("\(error)" == problem) }
    }

    @Test func openIncidentsLeaveOutClearedOnes() async throws {
        try fixture.seedIncident("inc-open")
        try fixture.pipeline.journal.commit { tx in
            try tx.record(IncidentTransition(
                incident: "inc-cleared", site: "broskolan", from: nil, to: .cleared, priority: .fire, cause: "unit cleared", time: APIFixture.now))
        }
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/incidents", method: .get, headers: bearer("viewer")) { response in
                let list = try JSONDecoder().decode(IncidentList.self, from: Data(response.body.readableBytesView))
                #expect(list.incidents.map(\.id) == ["inc-open"])
            }
            try await client.execute(uri: "/api/board", method: .get, headers: bearer("viewer")) { response in
                let board = try JSONDecoder().decode(Board.self, from: Data(response.body.readableBytesView))
                #expect(board.incidents.map(\.id) == ["inc-open"])
                #expect(board.incidents.first?.siteName == "Broskolan")
            }
        }
    }

    @Test func metricsCoverIncidentsAndTheJournal() async throws {
        try fixture.seedIncident("inc-open")
        try fixture.seedIncident("inc-closed", closed: true)
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/board", method: .get) { response in #expect(response.status == .unauthorized) }
            try await client.execute(
                uri: "/api/incidents/inc-open/notes", method: .post, headers: bearer("anna"), body: ByteBuffer(string: #"{"text":"x"}"#)
            ) { response in #expect(response.status == .accepted) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let body = String(buffer: response.body)
                // Live API metrics (swift-metrics into a swift-prometheus registry).
                #expect(body.contains(#"propertywatch_operator_commands_total{action="note"} 1"#))
                #expect(body.contains(#"propertywatch_http_denied_total{status="401"} 1"#))
                #expect(body.contains(#"propertywatch_incidents_opened_total{priority="unverified-intrusion"} 2"#))
                #expect(body.contains(#"propertywatch_incidents_closed_total{priority="unverified-intrusion",state="closed"} 1"#))
                #expect(body.contains(#"propertywatch_incidents_open{priority="unverified-intrusion"} 1"#))
                #expect(body.contains("# TYPE propertywatch_journal_commit_seconds histogram"))
                #expect(body.contains("# TYPE propertywatch_response_seconds histogram"))
                #expect(body.contains("propertywatch_journal_ok 1"))
                #expect(body.contains(#"propertywatch_escalations_total{target="central"} 0"#))
            }
        }
    }
}
