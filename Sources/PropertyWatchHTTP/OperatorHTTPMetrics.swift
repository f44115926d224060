import Hummingbird
import Metrics
import Prometheus

/// Live metrics of the operator API, kept with swift-metrics in a swift-prometheus
/// registry of their own (no global bootstrap, so each API instance and test has its own):
/// operator commands by action, refused requests, logins, and how long the board takes to
/// build. They count since the daemon started; `/metrics` appends them.
public final class OperatorHTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let boardTimer: Metrics.Timer

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["propertywatch_board_build_seconds"] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        ]
        self.factory = factory
        boardTimer = Metrics.Timer(label: "propertywatch_board_build_seconds", factory: factory)
    }

    /// An operator command was accepted (`acknowledge`, `note`, `close`, `silence`, `directed-check`).
    func command(_ action: String) {
        Counter(label: "propertywatch_operator_commands_total", dimensions: [("action", action)], factory: factory).increment()
    }

    /// A request was refused for its credentials (401) or role (403).
    func denied(status: Int) {
        Counter(label: "propertywatch_http_denied_total", dimensions: [("status", "\(status)")], factory: factory).increment()
    }

    /// A dashboard login succeeded or was refused.
    func login(succeeded: Bool) {
        Counter(label: "propertywatch_http_logins_total", dimensions: [("result", succeeded ? "ok" : "refused")], factory: factory).increment()
    }

    /// Times building the board.
    func timeBoard<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = (ContinuousClock.now - start).components
            boardTimer.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        }
        return try body()
    }

    /// The Prometheus text of these metrics.
    func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Counts requests refused with 401 or 403 (after the role checks have thrown).
struct DeniedCounter: RouterMiddleware {
    typealias Context = OperatorRequestContext
    let metrics: OperatorHTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .unauthorized || error.status == .forbidden {
            metrics.denied(status: Int(error.status.code))
            throw error
        }
    }
}
