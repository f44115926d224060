import Foundation
import Logging
import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchHA
import PropertyWatchHTTP
import PropertyWatchMQTT
import PropertyWatchPipeline
import ServiceLifecycle

/// Builds the daemon's services from its configuration: the only place they are wired.
enum Daemon {
    static func build(configuration: PropertyWatchConfiguration, virtualClock: Bool, logger: Logger) throws -> [any Service] {
        let settings = configuration.daemon
        let journal: Journal
        do {
            journal = try Journal(
                path: settings.journal.path, walPreallocationBytes: settings.journal.walPreallocationMB << 20,
                growthChunkBytes: settings.journal.growthChunkMB << 20)
        } catch let error as JournalError {
            // Said plainly (the disk is full, or why SQLite refused), not as "disk I/O error".
            logger.critical("journal.open.failed", metadata: ["journal.path": "\(settings.journal.path)", "error": "\(error)"])
            throw error
        }
        let readiness = Readiness()
        let pair = try StandbyPair(settings.ha, broker: settings.broker)
        var mqtt = try mqttConfiguration(pair.broker, virtualClock: virtualClock, batchMessages: settings.journal.groupCommitMaxRows)
        if let shard = settings.ha.shard {
            mqtt.subscriptions = ShardAssignment(index: shard.index, count: shard.count)
                .subscriptions(sites: configuration.watch.sites.map(\.id.rawValue), all: mqtt.subscriptions)
        }
        let clock: any WatchClock = virtualClock ? VirtualClock() : SystemClock()
        let brokerGap = BrokerGap(clock: clock)
        let client = try MQTTClient(
            configuration: mqtt,
            logger: Logger(label: "propertywatchd.mqtt"),
            onStateChange: { state in
                readiness.update(state)
                brokerGap.update(state)
            })
        let gate = pair.enabled ? StandbyGate(client: client) : nil
        let pipeline = Pipeline(
            configuration: configuration.watch, journal: journal, inbox: client.inbox,
            publisher: gate ?? client, clock: clock,
            logger: Logger(label: "propertywatchd.pipeline"),
            retention: JournalRetention(
                eventDays: settings.journal.retentionDays, cameraMetadataDays: settings.journal.cameraRetentionDays,
                incidentDays: settings.journal.incidentRetentionDays, staleIncidentDays: settings.journal.staleIncidentDays),
            snapshots: SnapshotPolicy(
                everyEvents: settings.journal.snapshotEveryEvents, intervalSeconds: settings.journal.snapshotIntervalSeconds,
                kept: settings.journal.snapshotsKept))
        _ = try pipeline.recover()
        var services: [any Service] = []
        var link: LeadershipLink?
        if let gate, let node = pair.node {
            let leadership = try LeadershipLink(
                node: node, group: settings.ha.group,
                settings: LeadershipSettings(silenceMilliseconds: Int64(settings.ha.silenceSeconds * 1000)),
                broker: mqtt, gate: gate, logger: Logger(label: "propertywatchd.ha"), submit: { pipeline.submit($0) })
            link = leadership
            // First in the list, so it is shut down last: the lease is released only after the
            // pipeline has drained and published everything it committed as active.
            services.append(LeadershipService(link: leadership))
            logger.info("ha.enabled", metadata: [
                "ha.node": "\(node)", "ha.group": "\(settings.ha.group)", "ha.silence.seconds": "\(settings.ha.silenceSeconds)",
                "mqtt.client_id": "\(pair.broker.clientID)",
            ])
        }
        // Operator commands (and webhook outcomes) reach both daemons of a pair through the broker.
        let submit: @Sendable (OperatorInput) -> Void
        if let link {
            submit = { input in link.publishCommand(input) }
        } else {
            submit = { input in pipeline.submit(input) }
        }
        var haStatus: (@Sendable () -> HAStatus)?
        if let link { haStatus = { link.status } }
        services += [
            PipelineService(client: client, pipeline: pipeline, logger: logger),
            SystemdNotifier(readiness: readiness, pipeline: pipeline, logger: logger),
        ]
        if let url = configuration.watch.patrol.escalation.centralWebhookURL {
            let webhook = CentralWebhook(
                url: url, submit: submit, logger: Logger(label: "propertywatchd.webhook"))
            // Only the active calls the central; a standby's escalations were the active's.
            pipeline.onCentralEscalation { escalation in
                if gate?.isActive ?? true { webhook.enqueue(escalation) }
            }
            services.append(webhook)
        }
        if let backfill = frigateBackfill(configuration, pipeline: pipeline, logger: logger) {
            pipeline.onFetchMissedVideo { backfill.request(from: $0, until: $1) }
            brokerGap.onGap { backfill.request(from: $0, until: $1) }
            services.append(backfill)
        }
        let inbox = client.inbox
        let backend = PipelineOperatorBackend(
            pipeline: pipeline, configuration: configuration.watch, clock: clock,
            inboxStalls: { inbox.stallCount }, brokerStatus: { brokerStatus(readiness.connection) },
            submit: submit, highAvailability: haStatus)
        let feed = LiveFeed()
        pipeline.onCommit { feed.signal() }
        let access = try operatorAccess(settings.http, logger: logger)
        services.append(OperatorHTTPService(
            backend: backend, host: settings.http.host, port: settings.http.port,
            options: .init(access: access, feed: feed, tileURL: settings.http.mapTileURL),
            logger: Logger(label: "propertywatchd.http")))
        services.append(ReportService(
            backend: backend, at: settings.report.at, directory: settings.report.directory,
            webhookURL: settings.report.webhookURL, logger: Logger(label: "propertywatchd.report")))
        return services
    }

    /// The Frigate backfill, when Frigate is mapped, its `url` known and `backfill.enabled`.
    static func frigateBackfill(_ configuration: PropertyWatchConfiguration, pipeline: Pipeline, logger: Logger) -> FrigateBackfill? {
        let frigate = configuration.watch.frigate
        let settings = configuration.daemon.frigateBackfill
        guard settings.enabled, !frigate.cameras.isEmpty, let url = frigate.snapshotBaseURL else { return nil }
        logger.info("frigate.backfill.enabled", metadata: ["frigate.url": "\(url)"])
        return FrigateBackfill(
            baseURL: url,
            options: .init(
                pageSize: settings.pageSize, maxPages: settings.maxPages, timeout: .seconds(Int64(settings.timeoutSeconds)),
                attempts: settings.attempts, margin: .seconds(Int64(settings.marginSeconds))),
            submit: { pipeline.submit(topic: $0, payload: $1) }, logger: Logger(label: "propertywatchd.frigate"))
    }

    /// The operators from `http.users_file`, or an open API (with a warning) without one.
    static func operatorAccess(_ http: HTTPSettings, logger: Logger) throws -> OperatorAccess {
        guard let path = http.usersFile else {
            logger.warning("http.auth.disabled", metadata: ["http.host": "\(http.host)"])
            return OperatorAccess(directory: nil, openHealthAndMetrics: http.openHealthAndMetrics)
        }
        do {
            let accounts = try UsersFile.load(path: path)
            logger.info("http.auth.users", metadata: ["http.users_file": "\(path)", "http.users": "\(accounts.count)"])
            return OperatorAccess(directory: OperatorDirectory(accounts: accounts), openHealthAndMetrics: http.openHealthAndMetrics)
        } catch let problem as UsersFile.Problem {
            throw ConfigurationError(file: problem.file, line: problem.line, reason: problem.reason)
        }
    }

    /// The broker link in one word, for `/health` and the dashboard.
    static func brokerStatus(_ state: MQTTConnectionState) -> String {
        switch state {
        case .subscribed: "connected"
        case .connected: "subscribing"
        case .connecting: "connecting"
        case .disconnected: "disconnected"
        case .stopped: "stopped"
        }
    }

    static func mqttConfiguration(_ broker: BrokerSettings, virtualClock: Bool, batchMessages: Int = 2048) throws -> MQTTConfiguration {
        var password: String?
        if let file = broker.passwordFile {
            password = try readSecret(file)
        }
        return MQTTConfiguration(
            host: broker.host, port: Int32(broker.port), clientID: broker.clientID,
            username: broker.username, password: password,
            tls: broker.tlsCAFile.map { .init(caFile: $0, certFile: broker.tlsCertFile, keyFile: broker.tlsKeyFile) },
            keepaliveSeconds: Int32(broker.keepaliveSeconds), cleanSession: false,
            subscriptions: Topic.subscriptions + (virtualClock ? [Topic.simulatedClock] : []),
            will: .init(topic: Topic.daemonStatus, payload: MessageEncoder.daemonStatus(online: false, time: nil)),
            onConnect: .init(topic: Topic.daemonStatus, payload: MessageEncoder.daemonStatus(online: true, time: nil)),
            reconnectMinSeconds: Double(broker.reconnectMinSeconds),
            reconnectMaxSeconds: Double(broker.reconnectMaxSeconds),
            batchMessages: batchMessages)
    }

    private static func readSecret(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(file: path, reason: "cannot read the broker password file")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
