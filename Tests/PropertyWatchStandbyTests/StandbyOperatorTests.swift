import Foundation
import GRDB
import PropertyWatchTestSupport
import Testing

/// Operator commands reach both daemons through the broker, and each daemon shows its role,
/// lease and peer in `/health` and `/metrics` — over real HTTP.
@Suite("active/standby pair: operators")
struct StandbyOperatorTests {
    /// `curl` against a daemon's HTTP port; the body, or nil when it could not connect.
    func http(_ port: Int32, _ path: String, post body: String? = nil) throws -> String? {
        var arguments = ["-s", "--max-time", "5", "http://127.0.0.1:\(port)\(path)"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "-d", body] }
        let process = try ChildProcess("/usr/bin/curl", arguments, captureOutput: true)
        let output = String(decoding: process.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        return process.waitForExit() == 0 ? output : nil
    }

    func operatorInputs(_ pair: StandbyPairFixture, _ node: String) throws -> [String] {
        try DatabaseQueue(path: pair.journal(node)).read { db in
            try Row.fetchAll(db, sql: "SELECT payload FROM event WHERE CAST(topic AS TEXT) LIKE '%internal/operator'").map {
                String(decoding: $0["payload"] as Data, as: UTF8.self)
            }
        }
    }

    @Test func aCommandToTheStandbyIsJournaledByBothAndHealthShowsTheRoles() throws {
        let pair = try StandbyPairFixture()
        let recorder = try PairRecorder(pair)
        let ports = try (Loopback.freePort(), Loopback.freePort())
        let a = try pair.start("a", httpPort: ports.0)
        #expect(recorder.waitForActive("a") == "a")
        let b = try pair.start("b", httpPort: ports.1)
        defer {
            _ = a.terminate()
            _ = b.terminate()
        }
        #expect(recorder.wait { $0.topic.hasSuffix("/nodes/b") && $0.object["role"] as? String == "standby" } != nil)

        // /health: each daemon's role, the leader and the peer.
        var healthB: [String: Any] = [:]
        recorder.wait(timeout: 10) { _ in
            let text = (try? http(ports.1, "/health")) ?? nil
            let object = text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
            healthB = object["ha"] as? [String: Any] ?? [:]
            return healthB["peer"] as? String == "a"
        }
        #expect(healthB["role"] as? String == "standby")
        #expect(healthB["leader"] as? String == "a")
        #expect(healthB["peer"] as? String == "a")
        #expect(healthB["peerRole"] as? String == "active")
        let healthA = try #require(try http(ports.0, "/health"))
        #expect(healthA.contains(#""role":"active""#))
        let metricsB = try #require(try http(ports.1, "/metrics"))
        #expect(metricsB.contains(#"propertywatch_ha_role{node="b",role="standby"} 1"#))
        #expect(metricsB.contains(#"propertywatch_ha_role{node="b",role="active"} 0"#))

        // A silence posted to the standby: both journal it, once each.
        let reply = try http(ports.1, "/api/silences", post: #"{"site":"skola-1","minutes":30,"reason":"test via the standby","author":"operatör"}"#)
        #expect(reply?.contains("accepted") == true, "\(reply ?? "no answer")")
        var inputs: (a: [String], b: [String]) = ([], [])
        recorder.wait(timeout: 10) { _ in
            inputs = ((try? operatorInputs(pair, "a")) ?? [], (try? operatorInputs(pair, "b")) ?? [])
            return inputs.a.contains { $0.contains("test via the standby") } && inputs.b.contains { $0.contains("test via the standby") }
        }
        #expect(inputs.a.filter { $0.contains("test via the standby") }.count == 1)
        #expect(inputs.b.filter { $0.contains("test via the standby") }.count == 1)
    }
}
