import Foundation
import Hummingbird
import Logging
import NIOCore
import PropertyWatchCore
import PropertyWatchPipeline

/// The operator HTTP API and dashboard: health, metrics, incidents, dead letters, and the
/// commands (silences, closes, directed checks) that are submitted to the pipeline.
public enum OperatorAPI {
    /// Largest `limit` a list endpoint accepts.
    static let maxLimit = 1000
    /// Longest silence accepted: a week.
    static let maxSilence = Milliseconds(7 * 24 * 3600 * 1000)

    /// The HTTP service bound to `host:port` (port 0 picks a free one).
    public static func application(
        backend: some OperatorBackend, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: try router(backend: backend),
            configuration: .init(address: .hostname(host, port: port), serverName: "propertywatchd"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Every route; exposed so tests and other front ends can mount it.
    public static func router(backend: some OperatorBackend) throws -> Router<BasicRequestContext> {
        let queries = try JournalQueries(journal: backend.journal)
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Dashboard.html)))
        }
        router.get("/health") { _, _ -> EditedResponse<HealthReport> in
            let journalOK = queries.isHealthy
            let report = HealthReport(status: journalOK ? "ok" : "degraded", broker: backend.brokerStatus, journal: journalOK ? "ok" : "error")
            return EditedResponse(status: journalOK ? .ok : .serviceUnavailable, response: report)
        }
        router.get("/metrics") { _, _ in
            let text = PrometheusText.render(backend.statistics, inboxStalls: backend.inboxStalls, brokerConnected: backend.brokerStatus == "connected")
            return Response(status: .ok, headers: [.contentType: PrometheusText.contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/status") { _, _ -> StatusReport in
            let s = backend.statistics
            return StatusReport(
                broker: backend.brokerStatus, journal: queries.isHealthy ? "ok" : "error",
                received: s.received, accepted: s.accepted, ignored: s.ignored,
                rejected: Dictionary(uniqueKeysWithValues: s.rejected.map { ($0.key.rawValue, $0.value) }),
                guardRequests: s.guardRequests, batches: s.batches, published: s.published,
                lastCommitMicroseconds: s.lastCommitMicroseconds, inboxStalls: backend.inboxStalls)
        }
        router.get("/api/incidents") { request, _ -> IncidentList in
            let state = request.uri.queryParameters.get("state") ?? "open"
            guard state == "open" || state == "all" else { throw HTTPError(.badRequest, message: "state must be open or all") }
            let limit = try limit(request, default: 100)
            return IncidentList(incidents: try queries.incidents(openOnly: state == "open", limit: limit))
        }
        router.get("/api/incidents/:id") { _, context -> IncidentDetail in
            let id = try context.parameters.require("id")
            guard let detail = try queries.incident(id: id) else {
                throw HTTPError(.notFound, message: "no incident \(id)")
            }
            return detail
        }
        router.get("/api/plan") { _, _ -> PlanList in
            PlanList(plans: try queries.plans())
        }
        router.get("/api/dead-letters") { request, _ -> DeadLetterList in
            DeadLetterList(deadLetters: try queries.deadLetters(limit: try limit(request, default: 50)))
        }
        router.post("/api/silences") { request, context -> EditedResponse<CommandAccepted> in
            let body = try await decode(SilenceRequest.self, request, context)
            let input = try silence(body, backend: backend)
            backend.submit(input)
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        router.post("/api/incidents/:id/close") { request, context -> EditedResponse<CommandAccepted> in
            let id = try context.parameters.require("id")
            let body = try await decode(CloseRequest.self, request, context)
            try requireText(body.author, "author")
            try requireText(body.reason, "reason")
            guard try queries.incident(id: id) != nil else {
                throw HTTPError(.notFound, message: "no incident \(id)")
            }
            backend.submit(.close(incident: IncidentID(id), author: body.author, reason: body.reason))
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        router.post("/api/directed-checks") { request, context -> EditedResponse<CommandAccepted> in
            let body = try await decode(DirectedCheckRequest.self, request, context)
            try requireSite(body.site, backend)
            try requireText(body.author, "author")
            try requireText(body.reason, "reason")
            if let notBefore = body.notBefore { try requireTime(notBefore) }
            backend.submit(.directedCheck(
                site: SiteID(body.site), notBefore: body.notBefore.map(Timestamp.init(millisecondsSinceEpoch:)),
                author: body.author, reason: body.reason))
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        return router
    }

    /// Validates a silence request and turns it into the pipeline's input.
    static func silence(_ body: SilenceRequest, backend: some OperatorBackend) throws -> OperatorInput {
        try requireSite(body.site, backend)
        try requireText(body.author, "author")
        try requireText(body.reason, "reason")
        guard let now = backend.now() else { throw HTTPError(.serviceUnavailable, message: "the clock is not set yet") }
        for time in [body.from, body.until].compactMap({ $0 }) { try requireTime(time) }
        let from = body.from.map(Timestamp.init(millisecondsSinceEpoch:)) ?? now
        let until: Timestamp
        switch (body.until, body.minutes) {
        case (let u?, nil): until = Timestamp(millisecondsSinceEpoch: u)
        case (nil, let m?) where m > 0 && m <= 7 * 24 * 60: until = from + Milliseconds(Int64(m) * 60_000)
        case (nil, _?): throw HTTPError(.badRequest, message: "minutes must be from 1 to 10080")
        default: throw HTTPError(.badRequest, message: "give exactly one of until and minutes")
        }
        guard until > from else { throw HTTPError(.badRequest, message: "until must be after from") }
        guard until > now else { throw HTTPError(.badRequest, message: "until is in the past") }
        guard until - from <= maxSilence else { throw HTTPError(.badRequest, message: "a silence may last at most 7 days") }
        if let device = body.device { try requireText(device, "device") }
        if let zone = body.zone { try requireText(zone, "zone") }
        return .silence(
            site: SiteID(body.site), device: body.device.map(DeviceID.init), zone: body.zone.map(ZoneID.init),
            from: from, until: until, author: body.author, reason: body.reason)
    }

    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return value }
        guard let limit = Int(text), (1...maxLimit).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit must be an integer from 1 to \(maxLimit)")
        }
        return limit
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: BasicRequestContext) async throws -> T {
        do {
            return try await request.decode(as: type, context: context)
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.badRequest, message: "invalid JSON body: \(error)")
        }
    }

    static func requireText(_ value: String, _ field: String) throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, value.count <= 512 else {
            throw HTTPError(.badRequest, message: "\(field) must be non-empty text of at most 512 characters")
        }
    }

    /// Times are milliseconds since the epoch, between 2000 and 2100.
    static func requireTime(_ milliseconds: Int64) throws {
        guard (946_684_800_000...4_102_444_800_000).contains(milliseconds) else {
            throw HTTPError(.badRequest, message: "times are milliseconds since 1970 (between years 2000 and 2100)")
        }
    }

    static func requireSite(_ site: String, _ backend: some OperatorBackend) throws {
        try requireText(site, "site")
        guard backend.knows(site: SiteID(site)) else { throw HTTPError(.badRequest, message: "unknown site \(site)") }
    }
}
