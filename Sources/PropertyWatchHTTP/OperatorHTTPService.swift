import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the operator API as a daemon service. The API is not needed to watch the sites, so
/// if it cannot serve (the port is taken, say) it logs the error and waits for shutdown
/// instead of stopping the daemon. On shutdown it ends the open event streams first, so
/// they do not hold the server up; every 15 s it wakes them so closed clients are noticed.
public struct OperatorHTTPService<Backend: OperatorBackend>: Service {
    let backend: Backend
    let host: String
    let port: Int
    let options: OperatorAPI.Options
    let logger: Logger

    public init(backend: Backend, host: String, port: Int, options: OperatorAPI.Options = .init(), logger: Logger) {
        self.backend = backend
        self.host = host
        self.port = port
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        do {
            let application = try OperatorAPI.application(
                backend: backend, host: host, port: port, options: options, logger: logger,
                onServerRunning: { [logger, host] port in
                    logger.notice("http.listening", metadata: ["http.host": "\(host)", "http.port": "\(port)"])
                })
            let feed = options.feed
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(15))
                            feed.signal()
                        }
                    }
                    try await application.run()
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                feed.close()
            }
        } catch {
            logger.error("http.failed", metadata: ["http.host": "\(host)", "http.port": "\(port)", "http.error": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}
