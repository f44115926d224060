import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import NIOPosix
import PropertyWatchCore
import PropertyWatchPipeline
import PropertyWatchReport

/// The operator HTTP API and dashboard: health, metrics, incidents and their timelines, the
/// live board and event stream, reports, and the commands (acknowledge, note, close,
/// silence, directed check) that are journaled through the pipeline with their author.
///
/// Roles: viewers read, operators also command, admins also read the audit log. With a
/// users file, requests without valid credentials get 401 and a missing role 403.
public enum OperatorAPI {
    /// Largest `limit` a list endpoint accepts.
    static let maxLimit = 1000
    /// Longest silence accepted: a week.
    static let maxSilence = Milliseconds(7 * 24 * 3600 * 1000)

    /// What the API serves besides the backend's data.
    public struct Options: Sendable {
        public var access: OperatorAccess
        /// Pushed to by the pipeline after each commit; `/api/events` listens to it.
        public var feed: LiveFeed
        /// Optional XYZ tile URL template for the dashboard's map.
        public var tileURL: String?
        /// The API's own live metrics (swift-metrics into a swift-prometheus registry).
        public var metrics: OperatorHTTPMetrics

        public init(access: OperatorAccess = .open, feed: LiveFeed = LiveFeed(), tileURL: String? = nil, metrics: OperatorHTTPMetrics = OperatorHTTPMetrics()) {
            self.access = access
            self.feed = feed
            self.tileURL = tileURL
            self.metrics = metrics
        }
    }

    /// The HTTP service bound to `host:port` (port 0 picks a free one).
    public static func application(
        backend: some OperatorBackend, host: String, port: Int, options: Options = Options(), logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Application<RouterResponder<OperatorRequestContext>> {
        Application(
            router: try router(backend: backend, options: options, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: "propertywatchd"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    typealias Group = RouterGroup<OperatorRequestContext>

    /// Every route; exposed so tests and other front ends can mount it.
    public static func router(
        backend: some OperatorBackend, options: Options = Options(), logger: Logger = Logger(label: "propertywatchd.http")
    ) throws -> Router<OperatorRequestContext> {
        let queries = try JournalQueries(journal: backend.journal)
        let router = Router(context: OperatorRequestContext.self)
        let metrics = options.metrics
        router.add(middleware: DeniedCounter(metrics: metrics))
        router.add(middleware: OperatorAuthenticator(access: options.access))
        router.add(middleware: SessionWriteGuard())

        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Dashboard.contentSecurityPolicy],
                body: .init(byteBuffer: ByteBuffer(string: Dashboard.html)))
        }
        let health: Group = options.access.openHealthAndMetrics ? router.group() : viewerGroup(router)
        health.get("/health") { _, _ -> EditedResponse<HealthReport> in
            let stats = backend.statistics
            let journalOK = await queries.isHealthy()
            var report = HealthReport(status: journalOK ? "ok" : "degraded", broker: backend.brokerStatus, journal: journalOK ? "ok" : "error")
            report.ha = backend.highAvailability
            if stats.journalFailing {
                // Commits fail (disk full, I/O error): nothing new is read until they work again.
                report.status = "critical"
                report.journal = "commit-failing"
                report.journalError = stats.journalError
                report.heldMessages = stats.heldMessages
            }
            return EditedResponse(status: report.status == "ok" ? .ok : .serviceUnavailable, response: report)
        }
        health.get("/metrics") { _, _ in
            var text = PrometheusText.render(backend.statistics, inboxStalls: backend.inboxStalls, brokerConnected: backend.brokerStatus == "connected")
            text += await OperatorMetrics.render(queries: queries, backend: backend, feed: options.feed)
            if let ha = backend.highAvailability { text += PrometheusText.render(ha) }
            text += metrics.render()
            return Response(status: .ok, headers: [.contentType: PrometheusText.contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        addSessionRoutes(router, access: options.access, metrics: metrics, logger: logger)

        let viewer = viewerGroup(router)
        viewer.get("/api/whoami") { _, context -> WhoAmI in
            let who = try context.requireIdentity()
            return WhoAmI(name: who.name, role: who.role.rawValue, method: who.method)
        }
        viewer.get("/api/status") { _, _ -> StatusReport in
            let s = backend.statistics
            return StatusReport(
                broker: backend.brokerStatus, journal: await queries.isHealthy() ? "ok" : "error",
                received: s.received, accepted: s.accepted, ignored: s.ignored,
                rejected: Dictionary(uniqueKeysWithValues: s.rejected.map { ($0.key.rawValue, $0.value) }),
                guardRequests: s.guardRequests, batches: s.batches, published: s.published,
                lastCommitMicroseconds: s.lastCommitMicroseconds, inboxStalls: backend.inboxStalls,
                ha: backend.highAvailability)
        }
        viewer.get("/api/incidents") { request, _ -> IncidentList in
            let state = request.uri.queryParameters.get("state") ?? "open"
            guard state == "open" || state == "all" else { throw HTTPError(.badRequest, message: "state must be open or all") }
            let limit = try limit(request, default: 100)
            var incidents = try await queries.incidents(openOnly: state == "open", limit: limit)
            if let site = request.uri.queryParameters.get("site") { incidents = incidents.filter { $0.site == site } }
            return IncidentList(incidents: incidents)
        }
        viewer.get("/api/incidents/:id") { _, context -> IncidentDetail in
            let id = try context.parameters.require("id")
            guard var detail = try await queries.incident(id: id) else {
                throw HTTPError(.notFound, message: "no incident \(id)")
            }
            let from = detail.incident.openedAt - 3_600_000
            let to = max(detail.incident.updatedAt, backend.now()?.millisecondsSinceEpoch ?? detail.incident.updatedAt) + 86_400_000
            var records = try await queries.records(from: from, to: to)
            records.inputs = try await queries.inputs(site: detail.incident.site, from: from, to: to)
            detail.timeline = IncidentTimeline.make(
                incident: id, site: detail.incident.site, siteName: backend.siteName(detail.incident.site), records: records)
            return detail
        }
        viewer.get("/api/decisions") { request, _ -> DecisionList in
            let q = request.uri.queryParameters
            if let verdict = q.get("verdict"), Decision.Verdict(rawValue: verdict) == nil {
                throw HTTPError(.badRequest, message: "verdict must be one of \(Decision.Verdict.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let order = q.get("order")
            guard order == nil || order == "event-time" || order == "newest" else {
                throw HTTPError(.badRequest, message: "order must be newest or event-time")
            }
            return DecisionList(decisions: try await queries.decisions(
                site: q.get("site"), zone: q.get("zone"), verdict: q.get("verdict"), incident: q.get("incident"),
                byEventTime: order == "event-time", limit: try limit(request, default: 100)))
        }
        viewer.get("/api/plan") { _, _ -> PlanList in
            PlanList(plans: try await queries.plans())
        }
        viewer.get("/api/dead-letters") { request, _ -> DeadLetterList in
            DeadLetterList(deadLetters: try await queries.deadLetters(limit: try limit(request, default: 50)))
        }
        viewer.get("/api/purges") { request, _ -> PurgeList in
            PurgeList(purges: try await queries.purges(limit: try limit(request, default: 100)))
        }
        viewer.get("/api/board") { _, _ -> Board in
            guard let now = backend.now() else { throw HTTPError(.serviceUnavailable, message: "the clock is not set yet") }
            let night = Night(containing: now)
            let records = try await queries.records(from: night.start.millisecondsSinceEpoch, to: now.millisecondsSinceEpoch + 1)
            let open = try await queries.openIncidents()
            return metrics.timeBoard {
                Board.make(
                    open: open, records: records, configuration: backend.configuration,
                    now: now.millisecondsSinceEpoch, tileURL: options.tileURL)
            }
        }
        viewer.get("/api/events") { _, _ -> Response in
            try await LiveEvents.response(queries: queries, feed: options.feed)
        }
        viewer.get("/api/reports/:night") { request, context -> Response in
            try await ReportEndpoint.response(
                night: try context.parameters.require("night"), format: request.uri.queryParameters.get("format") ?? "json",
                queries: queries, backend: backend)
        }

        let commands = operatorGroup(router)
        commands.post("/api/silences") { request, context -> EditedResponse<CommandAccepted> in
            let body = try await decode(SilenceRequest.self, request, context)
            backend.submit(try silence(body, author: try author(body.author, context), backend: backend))
            metrics.command("silence")
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        commands.post("/api/incidents/:id/close") { request, context -> EditedResponse<CommandAccepted> in
            let id = try context.parameters.require("id")
            let body = try await decode(CloseRequest.self, request, context)
            let who = try author(body.author, context)
            try requireText(body.reason, "reason")
            let outcome = try body.outcome.map { text in
                guard let outcome = IncidentOutcome(rawValue: text) else {
                    throw HTTPError(.badRequest, message: "outcome must be one of \(IncidentOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return outcome
            }
            try await requireIncident(id, queries)
            backend.submit(.close(incident: IncidentID(id), author: who, reason: body.reason, outcome: outcome))
            metrics.command("close")
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        commands.post("/api/incidents/:id/acknowledge") { request, context -> EditedResponse<CommandAccepted> in
            let id = try context.parameters.require("id")
            let body = try await decodeOptional(AcknowledgeRequest.self, request, context)
            let who = try author(body?.author, context)
            try await requireIncident(id, queries)
            backend.submit(.acknowledge(incident: IncidentID(id), author: who))
            metrics.command("acknowledge")
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        commands.post("/api/incidents/:id/notes") { request, context -> EditedResponse<CommandAccepted> in
            let id = try context.parameters.require("id")
            let body = try await decode(NoteRequest.self, request, context)
            let who = try author(body.author, context)
            try requireText(body.text, "text")
            try await requireIncident(id, queries)
            backend.submit(.note(incident: IncidentID(id), author: who, text: body.text))
            metrics.command("note")
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }
        commands.post("/api/directed-checks") { request, context -> EditedResponse<CommandAccepted> in
            let body = try await decode(DirectedCheckRequest.self, request, context)
            let who = try author(body.author, context)
            try requireSite(body.site, backend)
            try requireText(body.reason, "reason")
            if let notBefore = body.notBefore { try requireTime(notBefore) }
            backend.submit(.directedCheck(
                site: SiteID(body.site), notBefore: body.notBefore.map(Timestamp.init(millisecondsSinceEpoch:)),
                author: who, reason: body.reason))
            metrics.command("directed-check")
            return EditedResponse(status: .accepted, response: CommandAccepted())
        }

        let admin = router.group().add(middleware: AuthorizationPolicyMiddleware(RolePolicy<OperatorIdentity>(.admin), context: OperatorRequestContext.self))
        admin.get("/api/audit") { request, _ -> AuditList in
            let now = backend.now()?.millisecondsSinceEpoch ?? 0
            let from = request.uri.queryParameters.get("from").flatMap(Int64.init) ?? now - 7 * 86_400_000
            let to = request.uri.queryParameters.get("to").flatMap(Int64.init) ?? now + 1
            return AuditList(actions: try await queries.records(from: from, to: to).operatorActions)
        }
        return router
    }

    static func viewerGroup(_ router: Router<OperatorRequestContext>) -> Group {
        router.group().add(middleware: AuthorizationPolicyMiddleware(RolePolicy<OperatorIdentity>(.viewer), context: OperatorRequestContext.self))
    }

    static func operatorGroup(_ router: Router<OperatorRequestContext>) -> Group {
        router.group().add(middleware: AuthorizationPolicyMiddleware(RolePolicy<OperatorIdentity>(.operator), context: OperatorRequestContext.self))
    }

    /// `POST /api/session` (log in: sets the session cookie) and `DELETE /api/session`.
    static func addSessionRoutes(_ router: Router<OperatorRequestContext>, access: OperatorAccess, metrics: OperatorHTTPMetrics, logger: Logger) {
        router.post("/api/session") { request, context -> Response in
            let body = try await decode(LoginRequest.self, request, context)
            guard let directory = access.directory else {
                return try WhoAmI(name: "anonymous", role: Role.admin.rawValue, method: "open").response(from: request, context: context)
            }
            let identity: OperatorIdentity?
            if let token = body.token {
                identity = directory.identity(token: token)
            } else if let name = body.name, let password = body.password {
                identity = try await NIOThreadPool.singleton.runIfActive { directory.identity(name: name, password: password) }
            } else {
                throw HTTPError(.badRequest, message: "give name and password, or token")
            }
            metrics.login(succeeded: identity != nil)
            guard let identity else {
                logger.warning("http.login.refused", metadata: ["operator.name": "\(body.name ?? "(token)")"])
                throw HTTPError(.unauthorized, message: "wrong name, password or token")
            }
            logger.notice("http.login", metadata: ["operator.name": "\(identity.name)", "operator.role": "\(identity.role.rawValue)"])
            let session = directory.openSession(for: identity)
            var response = try WhoAmI(name: identity.name, role: identity.role.rawValue, method: "session").response(from: request, context: context)
            response.setCookie(Cookie(
                name: OperatorAuthenticator.cookieName, value: session, maxAge: Int(directory.sessionLifetime.components.seconds),
                path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.delete("/api/session") { request, _ -> Response in
            if let directory = access.directory, let session = request.cookies[OperatorAuthenticator.cookieName]?.value {
                directory.closeSession(session)
            }
            var response = Response(status: .noContent)
            response.setCookie(Cookie(name: OperatorAuthenticator.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// The author of a command: the authenticated operator; with an open API, the body's
    /// `author` (or `anonymous`).
    static func author(_ claimed: String?, _ context: OperatorRequestContext) throws -> String {
        let identity = try context.requireIdentity()
        guard identity.method == "open" else { return identity.name }
        let name = claimed ?? "anonymous"
        try requireText(name, "author")
        return name
    }

    /// Validates a silence request and turns it into the pipeline's input.
    static func silence(_ body: SilenceRequest, author: String, backend: some OperatorBackend) throws -> OperatorInput {
        try requireSite(body.site, backend)
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
            from: from, until: until, author: author, reason: body.reason)
    }

    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return value }
        guard let limit = Int(text), (1...maxLimit).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit must be an integer from 1 to \(maxLimit)")
        }
        return limit
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: OperatorRequestContext) async throws -> T {
        do {
            return try await request.decode(as: type, context: context)
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.badRequest, message: "invalid JSON body: \(error)")
        }
    }

    /// A body that may be empty.
    static func decodeOptional<T: Decodable>(_ type: T.Type, _ request: Request, _ context: OperatorRequestContext) async throws -> T? {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
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

    static func requireIncident(_ id: String, _ queries: JournalQueries) async throws {
        guard try await queries.incident(id: id) != nil else { throw HTTPError(.notFound, message: "no incident \(id)") }
    }
}

/// Refuses commands carried by the session cookie unless they are JSON: a cross-site form
/// cannot send `application/json` without a CORS preflight, which this API never grants.
struct SessionWriteGuard: RouterMiddleware {
    typealias Context = OperatorRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.identity?.method == "session", request.method != .get, request.method != .head,
            request.uri.path != "/api/session",
            request.headers[.contentType]?.hasPrefix("application/json") != true
        {
            throw HTTPError(.unsupportedMediaType, message: "commands must be sent as application/json")
        }
        return try await next(request, context)
    }
}
