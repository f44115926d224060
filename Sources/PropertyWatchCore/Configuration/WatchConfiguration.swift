/// Limits applied when decoding inbound messages.
public struct DecodingLimits: Sendable, Hashable {
    /// Payloads longer than this are refused (`RejectionReason.oversize`).
    public var maxPayloadBytes: Int
    /// How far a device's timestamp may be from the receive time, either way.
    public var maxClockSkew: Milliseconds

    public init(maxPayloadBytes: Int = 4096, maxClockSkew: Milliseconds = .minutes(10)) {
        self.maxPayloadBytes = maxPayloadBytes
        self.maxClockSkew = maxClockSkew
    }
}

/// The domain configuration: sites and patrol. The daemon's own settings (broker, journal)
/// live next to it in the configuration file but are not the core's business.
public struct WatchConfiguration: Sendable, Hashable {
    public var sites: [SiteConfiguration]
    public var patrol: PatrolConfiguration
    public var decoding: DecodingLimits

    public init(
        sites: [SiteConfiguration], patrol: PatrolConfiguration = PatrolConfiguration(),
        decoding: DecodingLimits = DecodingLimits()
    ) {
        self.sites = sites
        self.patrol = patrol
        self.decoding = decoding
    }
}
