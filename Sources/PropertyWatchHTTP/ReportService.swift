import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PropertyWatchCore
import PropertyWatchReport
import ServiceLifecycle

/// Makes the nightly report when it is due (`report.at`, by the daemon's clock, so it also
/// follows a virtual clock), writes it to `report.directory` as JSON, HTML and CSV, and
/// POSTs the JSON to `report.webhook_url`. Reports are also served on demand by the API.
public struct ReportService<Backend: OperatorBackend>: Service {
    let backend: Backend
    let at: LocalTime
    let directory: String?
    let webhookURL: String?
    let logger: Logger

    public init(backend: Backend, at: LocalTime, directory: String?, webhookURL: String?, logger: Logger) {
        self.backend = backend
        self.at = at
        self.directory = directory
        self.webhookURL = webhookURL
        self.logger = logger
    }

    public func run() async throws {
        let queries = try JournalQueries(journal: backend.journal)
        var schedule: ReportSchedule?
        while !Task.isShuttingDownGracefully {
            if let now = backend.now() {
                if schedule == nil { schedule = ReportSchedule.starting(at: now, reportAt: at) }
                if let night = schedule?.due(now: now) {
                    await produce(night: night, queries: queries, now: now)
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
        }
    }

    /// Makes, stores and posts one night's report.
    func produce(night: Night, queries: JournalQueries, now: Timestamp) async {
        do {
            let report = try await ReportEndpoint.make(night: night, queries: queries, configuration: backend.configuration, now: now)
            logger.notice("report.made", metadata: ["report.night": "\(night)", "report.incidents": "\(report.counts.incidents)"])
            if let directory {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for format in ["json", "html", "csv"] {
                    let (text, _) = try ReportEndpoint.render(report, format: format, configuration: backend.configuration)
                    let path = "\(directory)/night-\(night).\(format)"
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                }
                logger.info("report.written", metadata: ["report.directory": "\(directory)"])
            }
            if let webhookURL {
                let (json, _) = try ReportEndpoint.render(report, format: "json", configuration: backend.configuration)
                var request = HTTPClientRequest(url: webhookURL)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                logger.info("report.posted", metadata: ["report.status": "\(response.status.code)"])
            }
        } catch {
            logger.error("report.failed", metadata: ["report.night": "\(night)", "report.error": "\(error)"])
        }
    }
}
