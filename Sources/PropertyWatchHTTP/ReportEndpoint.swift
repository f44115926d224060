import Foundation
import Hummingbird
import NIOCore
import PropertyWatchCore
import PropertyWatchReport

/// `GET /api/reports/{night}?format=json|html|csv|text`: the report of a night (`YYYY-MM-DD`,
/// `tonight` or `last`), made from the journal on demand.
enum ReportEndpoint {
    static func response(night text: String, format: String, queries: JournalQueries, backend: some OperatorBackend) async throws -> Response {
        guard let now = backend.now() else { throw HTTPError(.serviceUnavailable, message: "the clock is not set yet") }
        let night: Night
        switch text {
        case "tonight": night = Night(containing: now)
        case "last": night = Night(date: Night(containing: now).date.adding(days: -1))
        default:
            guard let parsed = Night(text) else { throw HTTPError(.badRequest, message: "night must be YYYY-MM-DD, tonight or last") }
            night = parsed
        }
        let report = try await make(night: night, queries: queries, configuration: backend.configuration, now: now)
        let (body, type) = try render(report, format: format, configuration: backend.configuration)
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The report of `night` as of `now` (or its end, if it is over).
    static func make(night: Night, queries: JournalQueries, configuration: WatchConfiguration, now: Timestamp) async throws -> NightReport {
        let asOf = min(now.millisecondsSinceEpoch, night.end.millisecondsSinceEpoch)
        let records = try await queries.records(from: night.start.millisecondsSinceEpoch, to: night.end.millisecondsSinceEpoch)
        return NightReport.make(records: records, configuration: configuration, night: night, asOf: asOf)
    }

    /// The report in `format`, with its content type.
    static func render(_ report: NightReport, format: String, configuration: WatchConfiguration) throws -> (String, String) {
        switch format {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (String(decoding: try encoder.encode(report), as: UTF8.self) + "\n", "application/json")
        case "html": return (report.html(configuration: configuration), "text/html; charset=utf-8")
        case "csv": return (report.csv(), "text/csv; charset=utf-8")
        case "text": return (report.text(), "text/plain; charset=utf-8")
        default: throw HTTPError(.badRequest, message: "format must be json, html, csv or text")
        }
    }
}
