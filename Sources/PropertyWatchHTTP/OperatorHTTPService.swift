import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the operator API as a daemon service. The API is not needed to watch the sites, so
/// if it cannot serve (the port is taken, say) it logs the error and waits for shutdown
/// instead of stopping the daemon.
public struct OperatorHTTPService<Backend: OperatorBackend>: Service {
    let backend: Backend
    let host: String
    let port: Int
    let logger: Logger

    public init(backend: Backend, host: String, port: Int, logger: Logger) {
        self.backend = backend
        self.host = host
        self.port = port
        self.logger = logger
    }

    public func run() async throws {
        do {
            let application = try OperatorAPI.application(
                backend: backend, host: host, port: port, logger: logger,
                onServerRunning: { [logger, host] port in
                    logger.notice("http.listening", metadata: ["http.host": "\(host)", "http.port": "\(port)"])
                })
            try await application.run()
        } catch {
            logger.error("http.failed", metadata: ["http.host": "\(host)", "http.port": "\(port)", "http.error": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}
