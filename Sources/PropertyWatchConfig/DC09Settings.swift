import PropertyWatchCore

/// The SIA DC-09 gateway `pw-dc09` (`dc09:` section). Absent: no gateway configured.
public struct DC09Settings: Sendable, Hashable {
    /// What the gateway answers in cases the standard leaves to the receiver.
    public enum Answer: String, Sendable, Hashable { case duh, nak, none }

    /// `host:port` pairs to listen on for TCP and for UDP.
    public var tcpListen: [String] = ["0.0.0.0:9500"]
    public var udpListen: [String] = ["0.0.0.0:9500"]
    /// How far a frame's timestamp may lie before / after the receiver's clock (the standard's
    /// −40 s / +20 s around the message, i.e. receiver time −20 s … +40 s).
    public var windowPastSeconds: Int = 40
    public var windowFutureSeconds: Int = 20
    /// Answer to a frame from an account not configured (`duh` or `none`).
    public var unknownAccount: Answer = .duh
    /// Answer to an event code not in the tables (`duh` or `none`); the event is dead-lettered either way.
    public var unknownCode: Answer = .duh
    /// Answer to a bad CRC or length (`none`, as the standard says, or `nak`).
    public var badFrame: Answer = .none
    /// How long the gateway waits for the daemon's end-to-end acknowledgement before giving up
    /// on a frame (no ACK; the panel retries). Keep it below the panels' retry time.
    public var ackTimeoutSeconds: Double = 10
    /// Hostile input limits.
    public var maxFrameBytes: Int = 1024
    public var maxConnections: Int = 512
    public var maxConnectionsPerSource: Int = 16
    /// A TCP connection with nothing received for this long is closed.
    public var idleTimeoutSeconds: Int = 60
    /// Frames (TCP and UDP) accepted per source address per second, with a burst of this many.
    public var framesPerSecondPerSource: Double = 20
    public var burstPerSource: Int = 40
    /// Prometheus text on this `host:port` (`/metrics`); nil for none.
    public var metricsListen: String? = nil
    public var accounts: [DC09AccountSettings] = []

    public init() {}
}

/// One panel account (`dc09.accounts[]`).
public struct DC09AccountSettings: Sendable, Hashable {
    /// The account number the panel sends, 3–16 characters 0–9 / A–F.
    public var account: String
    public var site: SiteID
    /// The panel device at the site that the events are published as.
    public var device: DeviceID
    /// File holding the AES key as hex (32, 48 or 64 digits); must not be readable by group or others.
    public var keyFile: String?
    /// Whether frames without encryption are accepted from this account.
    public var allowUnencrypted: Bool = false
    /// EN 50136-1 ATS category (`SP1`…`SP6`, `DP1`…`DP4`), setting the supervision interval.
    public var supervisionCategory: String?
    /// Overrides the category's interval.
    public var supervisionIntervalSeconds: Int?
    /// Read the frame sequence number as hex (dialers such as dc09-spt write `000A`); the
    /// standard's is decimal.
    public var sequenceHex: Bool = false
    /// Panel zone number → PropertyWatch zone id.
    public var zones: [String: ZoneID] = [:]
    /// The line number in the YAML, for messages about this account found later (key files).
    public var line: Int?

    public init(account: String, site: SiteID, device: DeviceID) {
        self.account = account
        self.site = site
        self.device = device
    }

    /// EN 50136-1 reporting times for an ATS failure, in seconds, per category.
    public static let categoryIntervals: [String: Int] = [
        "SP1": 32 * 86_400, "SP2": 25 * 3600, "SP3": 30 * 60, "SP4": 180, "SP5": 90, "SP6": 20,
        "DP1": 25 * 3600, "DP2": 30 * 60, "DP3": 180, "DP4": 90,
    ]

    /// The supervision interval: the override, else the category's, else none.
    public var supervisionSeconds: Int? {
        supervisionIntervalSeconds ?? supervisionCategory.flatMap { Self.categoryIntervals[$0] }
    }
}
