import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import Logging
import PropertyWatchCore
import PropertyWatchHTTP
import PropertyWatchPipeline
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// What a fake central received.
final class CentralLog: Sendable {
    struct Call: Sendable, Equatable {
        var idempotencyKey: String?
        var contentType: String?
        var body: String
    }

    let calls = Mutex<[Call]>([])
}

/// The webhook sender against a real local HTTP server.
@Suite struct CentralWebhookTests {
    static let escalation = CentralEscalation(
        incident: "inc-7", idempotencyKey: "inc-7/central/1", body: Array(#"{"v":1,"incident":"inc-7"}"#.utf8))

    /// A central that answers 503 to its first call and 200 afterwards.
    func flakyCentral(_ log: CentralLog) -> some ApplicationProtocol {
        let router = Router()
        router.post("/central") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 16)
            let count = log.calls.withLock { calls in
                calls.append(.init(
                    idempotencyKey: request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value,
                    contentType: request.headers[.contentType], body: String(buffer: body)))
                return calls.count
            }
            return count == 1 ? .serviceUnavailable : .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func refusedThenAcceptedKeepsTheIdempotencyKey() async throws {
        let log = CentralLog()
        let recorder = InputRecorder()
        try await flakyCentral(log).test(.live) { client in
            let port = try #require(client.port)
            let webhook = CentralWebhook(
                url: "http://127.0.0.1:\(port)/central", timeout: .seconds(5),
                submit: { recorder.record($0) }, logger: Logger(label: "test.webhook"))
            let sender = Task { await webhook.run() }
            defer { sender.cancel() }
            // The core re-emits the escalation after the failed attempt; here the test does.
            webhook.enqueue(Self.escalation)
            let first = await recorder.first(1)
            webhook.enqueue(Self.escalation)
            let second = await recorder.first(1)
            #expect(first + second == [
                .centralDelivery(incident: "inc-7", idempotencyKey: "inc-7/central/1", succeeded: false),
                .centralDelivery(incident: "inc-7", idempotencyKey: "inc-7/central/1", succeeded: true),
            ])
        }
        let calls = log.calls.withLock { $0 }
        #expect(calls.count == 2)
        #expect(calls.map(\.idempotencyKey) == ["inc-7/central/1", "inc-7/central/1"])
        #expect(calls.allSatisfy { $0.contentType == "application/json" && $0.body == #"{"v":1,"incident":"inc-7"}"# })
    }

    @Test func centralDownIsAFailedAttempt() async throws {
        let recorder = InputRecorder()
        // Nothing listens on port 1: the connection is refused.
        let webhook = CentralWebhook(
            url: "http://127.0.0.1:1/central", timeout: .seconds(1),
            submit: { recorder.record($0) }, logger: Logger(label: "test.webhook"))
        let sender = Task { await webhook.run() }
        defer { sender.cancel() }
        webhook.enqueue(Self.escalation)
        #expect(await recorder.first(1) == [
            .centralDelivery(incident: "inc-7", idempotencyKey: "inc-7/central/1", succeeded: false)
        ])
    }

    @Test func fullHandOffFailsTheAttemptAtOnce() {
        let recorder = InputRecorder()
        let webhook = CentralWebhook(
            url: "http://127.0.0.1:1/central", bufferSize: 1,
            submit: { recorder.record($0) }, logger: Logger(label: "test.webhook"))
        // Not running: the first waits in the buffer, the second does not fit.
        webhook.enqueue(Self.escalation)
        webhook.enqueue(CentralEscalation(incident: "inc-8", idempotencyKey: "inc-8/central/1", body: []))
        #expect(recorder.recorded == [.centralDelivery(incident: "inc-8", idempotencyKey: "inc-8/central/1", succeeded: false)])
    }
}

extension CentralWebhookTests {
    @Test func everyEscalationGetsOneOutcomeAcrossShutdown() async throws {
        let recorder = InputRecorder()
        let webhook = CentralWebhook(
            url: "http://127.0.0.1:1/central", timeout: .seconds(1),
            submit: { recorder.record($0) }, logger: Logger(label: "test.webhook"))
        webhook.enqueue(Self.escalation)
        webhook.enqueue(CentralEscalation(incident: "inc-8", idempotencyKey: "inc-8/central/1", body: []))
        // Shut down as it starts: each is either attempted (refused) or abandoned; both are
        // reported as failed exactly once, so the core never waits for an outcome forever.
        await testGracefulShutdown { trigger in
            trigger.triggerGracefulShutdown()
            await webhook.run()
        }
        #expect(recorder.recorded.count == 2)
        #expect(Set(recorder.recorded) == [
            .centralDelivery(incident: "inc-7", idempotencyKey: "inc-7/central/1", succeeded: false),
            .centralDelivery(incident: "inc-8", idempotencyKey: "inc-8/central/1", succeeded: false),
        ])
    }
}
