import PropertyWatchCore

/// The daemon's own settings: how to reach the broker, where the journal lives, the HTTP
/// endpoint. Each struct's defaults are the documented defaults of the configuration file.
public struct DaemonSettings: Sendable, Hashable {
    public var broker: BrokerSettings
    public var journal: JournalSettings
    public var http: HTTPSettings
    public var report: ReportSettings
    /// The active/standby pair; off by default (a single daemon).
    public var ha: HASettings = HASettings()
    /// Fetching Frigate's events after an outage (`frigate.backfill`).
    public var frigateBackfill = FrigateBackfillSettings()
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    public var logLevel: String

    public init(
        broker: BrokerSettings = BrokerSettings(), journal: JournalSettings = JournalSettings(),
        http: HTTPSettings = HTTPSettings(), report: ReportSettings = ReportSettings(), logLevel: String = "info"
    ) {
        self.broker = broker
        self.journal = journal
        self.http = http
        self.report = report
        self.logLevel = logLevel
    }
}

/// Broker connection (`broker:` section).
public struct BrokerSettings: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 1883
    public var clientID: String = "propertywatchd"
    public var username: String? = nil
    /// Read from this file at start, so the password is not in the configuration file.
    public var passwordFile: String? = nil
    /// CA certificate file; setting it turns TLS on.
    public var tlsCAFile: String? = nil
    public var tlsCertFile: String? = nil
    public var tlsKeyFile: String? = nil
    public var keepaliveSeconds: Int = 30
    /// Reconnect back-off, doubling from the minimum to the maximum.
    public var reconnectMinSeconds: Int = 1
    public var reconnectMaxSeconds: Int = 30

    public init() {}
}

/// The durable journal (`journal:` section).
public struct JournalSettings: Sendable, Hashable {
    public var path: String = "/var/lib/propertywatch/journal.sqlite"
    /// The most messages committed in one transaction. Batches are adaptive: each holds what
    /// arrived while the previous one was being committed, so under light load a message is
    /// committed at once (no window to wait for) and under heavy load batches grow to this.
    public var groupCommitMaxRows: Int = 2048
    /// Raw events (and dead letters) older than this are removed.
    public var retentionDays: Int = 90
    /// Camera metadata (camera triggers, Frigate events and reviews) older than this is
    /// removed. The camera-surveillance act leaves the period to the municipality's
    /// documented assessment; 30 days is a default, not a legal answer.
    public var cameraRetentionDays: Int = 30
    /// Incidents closed longer ago than this are removed with their transitions.
    public var incidentRetentionDays: Int = 365
    /// An incident still open this many days after it opened is closed as stale (recorded).
    public var staleIncidentDays: Int = 7
    /// The WAL file is grown to this once at start (MiB), so commits reuse allocated pages.
    public var walPreallocationMB: Int = 8
    /// The database file grows this much at a time (MiB).
    public var growthChunkMB: Int = 16
    /// A snapshot of the core's state is stored after this many journaled inputs (and at a
    /// clean stop), so a restart replays only what came after it; 0 turns snapshots off.
    /// See `SnapshotPolicy` for why the default is a million.
    public var snapshotEveryEvents: Int = 1_000_000
    /// …or this long after the last one, if any input came since.
    public var snapshotIntervalSeconds: Int = 600
    /// Snapshots kept, newest first.
    public var snapshotsKept: Int = 2

    public init() {}
}

/// Operator HTTP endpoint (`http:` section): dashboard, API, health, metrics.
public struct HTTPSettings: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8480
    /// The operators (names, roles, hashed tokens and passwords); nil leaves the API open,
    /// which is only sensible on loopback.
    public var usersFile: String? = nil
    /// Whether `/health` and `/metrics` answer without credentials.
    public var openHealthAndMetrics: Bool = true
    /// An XYZ tile URL template (`https://tiles.example/{z}/{x}/{y}.png`) for the dashboard's
    /// map; without it the map is drawn from the sites' coordinates alone.
    public var mapTileURL: String? = nil

    public init() {}
}

/// An active/standby pair (`ha:` section): both daemons of the pair share one configuration
/// file and differ only in `--node` (which also names their broker client ids).
public struct HASettings: Sendable, Hashable {
    public var enabled: Bool = false
    /// This daemon's name in the pair; `--node` overrides it.
    public var node: String? = nil
    /// The pair's name in the leadership topics; pairs that share a broker differ in it.
    public var group: String = "main"
    /// A standby takes over after the active has been silent this long (seconds).
    public var silenceSeconds: Double = 6
    /// This pair's shard of the sites (`index` of `count`); nil serves every site.
    public var shard: ShardSettings? = nil

    public init() {}
}

/// One shard of the sites: sites are assigned by a stable hash of their id.
public struct ShardSettings: Sendable, Hashable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
}

/// The nightly report (`report:` section).
public struct ReportSettings: Sendable, Hashable {
    /// When the night's report is made (Europe/Stockholm); the night ends at noon.
    public var at: LocalTime = LocalTime(hour: 7)
    /// Where reports are written as JSON, HTML and CSV; nil writes none (they are always
    /// served by the API).
    public var directory: String? = nil
    /// A URL the JSON report is POSTed to.
    public var webhookURL: String? = nil

    public init() {}
}

/// Everything in one configuration file.
public struct PropertyWatchConfiguration: Sendable {
    public var daemon: DaemonSettings
    public var watch: WatchConfiguration
    /// The DC-09 gateway's section; nil when the file has none.
    public var dc09: DC09Settings?

    public init(daemon: DaemonSettings, watch: WatchConfiguration, dc09: DC09Settings? = nil) {
        self.daemon = daemon
        self.watch = watch
        self.dc09 = dc09
    }
}

/// Fetching the events Frigate saw while it or the broker link was down (`frigate.backfill`),
/// from Frigate's `GET /api/events` at `frigate.url`.
public struct FrigateBackfillSettings: Sendable, Hashable {
    /// Off: outages are still supervised, nothing is fetched.
    public var enabled = true
    /// Events asked for per request (`limit`); older pages are fetched until one is short.
    public var pageSize = 100
    /// At most this many pages per gap; the rest is logged as not fetched.
    public var maxPages = 20
    /// Per request.
    public var timeoutSeconds = 10
    /// Tries per page, with back-off doubling from one second.
    public var attempts = 4
    /// A broker-link gap is widened by this much on each side (clocks and buffers differ).
    public var marginSeconds = 5

    public init() {}
}
