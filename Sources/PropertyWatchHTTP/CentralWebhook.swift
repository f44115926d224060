import AsyncHTTPClient
import Logging
import NIOCore
import PropertyWatchCore
import PropertyWatchPipeline
import ServiceLifecycle

/// Delivers escalations to the guard company's central over its webhook: one POST per
/// attempt, with the escalation's `Idempotency-Key`, and the outcome submitted back to the
/// pipeline. It never retries: the core schedules retries and emits the escalation again.
///
/// `enqueue(_:)` is the pipeline's `onCentralEscalation` handler: it never blocks; when the
/// hand-off buffer is full the attempt is reported as failed at once.
public struct CentralWebhook: Service {
    private let url: String
    private let httpClient: HTTPClient
    private let timeout: TimeAmount
    private let submit: @Sendable (OperatorInput) -> Void
    private let logger: Logger
    private let stream: AsyncStream<CentralEscalation>
    private let continuation: AsyncStream<CentralEscalation>.Continuation

    /// - Parameters:
    ///   - submit: where outcomes go; `pipeline.submit` in the daemon.
    ///   - bufferSize: escalations waiting for delivery before new ones are failed at once.
    public init(
        url: String, httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(10),
        bufferSize: Int = 64, submit: @escaping @Sendable (OperatorInput) -> Void, logger: Logger
    ) {
        self.url = url
        self.httpClient = httpClient
        self.timeout = timeout
        self.submit = submit
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: CentralEscalation.self, bufferingPolicy: .bufferingOldest(bufferSize))
    }

    /// Hands an escalation to the sender. Thread-safe and non-blocking.
    public func enqueue(_ escalation: CentralEscalation) {
        switch continuation.yield(escalation) {
        case .enqueued:
            break
        case .dropped, .terminated:
            logger.warning("webhook.dropped", metadata: ["incident.id": "\(escalation.incident)"])
            submit(.centralDelivery(incident: escalation.incident, idempotencyKey: escalation.idempotencyKey, succeeded: false))
        @unknown default:
            submit(.centralDelivery(incident: escalation.incident, idempotencyKey: escalation.idempotencyKey, succeeded: false))
        }
    }

    /// Delivers one escalation at a time until graceful shutdown; the attempt in progress
    /// then finishes, and those still waiting are reported as failed so the core retries
    /// them (an attempt never reported would stay in flight).
    public func run() async {
        for await escalation in stream.cancelOnGracefulShutdown() {
            let succeeded = await deliver(escalation)
            submit(.centralDelivery(incident: escalation.incident, idempotencyKey: escalation.idempotencyKey, succeeded: succeeded))
        }
        continuation.finish()
        for await escalation in stream {
            logger.warning("webhook.abandoned", metadata: ["incident.id": "\(escalation.incident)"])
            submit(.centralDelivery(incident: escalation.incident, idempotencyKey: escalation.idempotencyKey, succeeded: false))
        }
    }

    /// One POST; true on a 2xx answer.
    func deliver(_ escalation: CentralEscalation) async -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: escalation.idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: escalation.body))
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let ok = (200..<300).contains(response.status.code)
            if ok {
                logger.info("webhook.delivered", metadata: ["incident.id": "\(escalation.incident)", "webhook.status": "\(response.status.code)"])
            } else {
                logger.warning("webhook.refused", metadata: ["incident.id": "\(escalation.incident)", "webhook.status": "\(response.status.code)"])
            }
            return ok
        } catch {
            logger.warning("webhook.failed", metadata: ["incident.id": "\(escalation.incident)", "webhook.error": "\(error)"])
            return false
        }
    }
}
