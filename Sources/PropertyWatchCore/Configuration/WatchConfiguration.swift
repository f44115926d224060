/// Limits applied when decoding inbound messages.
public struct DecodingLimits: Sendable, Hashable, Encodable {
    /// Payloads longer than this are refused (`RejectionReason.oversize`).
    public var maxPayloadBytes: Int
    /// How far a device's timestamp may be from the receive time, either way.
    public var maxClockSkew: Milliseconds
    /// The payload limit for Frigate's own messages, which carry `before` and `after` objects.
    public var maxFrigatePayloadBytes: Int
    /// An alarm event or heartbeat whose device time is further behind the receive time than
    /// `maxClockSkew` but within this is accepted as *late* (buffered by the device during an
    /// outage): journaled, acknowledged and marked `AlarmEvent.late`. Older is refused
    /// (`too-late`). Zero (or anything not above `maxClockSkew`) turns the window off.
    public var lateWindow: Milliseconds

    public init(
        maxPayloadBytes: Int = 4096, maxClockSkew: Milliseconds = .minutes(10),
        maxFrigatePayloadBytes: Int = 32768, lateWindow: Milliseconds = .hours(24)
    ) {
        self.maxPayloadBytes = maxPayloadBytes
        self.maxClockSkew = maxClockSkew
        self.maxFrigatePayloadBytes = maxFrigatePayloadBytes
        self.lateWindow = lateWindow
    }
}

/// The domain configuration: sites and patrol. The daemon's own settings (broker, journal)
/// live next to it in the configuration file but are not the core's business.
public struct WatchConfiguration: Sendable, Hashable, Encodable {
    public var sites: [SiteConfiguration]
    public var patrol: PatrolConfiguration
    public var decoding: DecodingLimits
    /// How Frigate's cameras, zones and labels map onto ours.
    public var frigate: FrigateMapping
    /// The global correlation rules; sites override them in `SiteConfiguration.rules`.
    public var rules: CorrelationRules

    public init(
        sites: [SiteConfiguration], patrol: PatrolConfiguration = PatrolConfiguration(),
        decoding: DecodingLimits = DecodingLimits(), frigate: FrigateMapping = FrigateMapping(),
        rules: CorrelationRules = CorrelationRules()
    ) {
        self.rules = rules
        self.sites = sites
        self.patrol = patrol
        self.decoding = decoding
        self.frigate = frigate
    }
}
