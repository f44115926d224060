import PropertyWatchCore

/// The daemon's own settings: how to reach the broker, where the journal lives, the HTTP
/// endpoint. Each struct's defaults are the documented defaults of the configuration file.
public struct DaemonSettings: Sendable, Hashable {
    public var broker: BrokerSettings
    public var journal: JournalSettings
    public var http: HTTPSettings
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    public var logLevel: String

    public init(
        broker: BrokerSettings = BrokerSettings(), journal: JournalSettings = JournalSettings(),
        http: HTTPSettings = HTTPSettings(), logLevel: String = "info"
    ) {
        self.broker = broker
        self.journal = journal
        self.http = http
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
    /// Raw events older than this are removed; incidents are kept.
    public var retentionDays: Int = 90

    public init() {}
}

/// Operator HTTP endpoint (`http:` section): health, metrics, incidents.
public struct HTTPSettings: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8480

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
