import PropertyWatchCore
import PropertyWatchPipeline

/// What the operator API needs from the daemon: the journal to read, the counters, the
/// link's health, and a way to submit commands. `PipelineOperatorBackend` is the real one.
public protocol OperatorBackend: Sendable {
    /// The journal queried by the read endpoints.
    var journal: Journal { get }
    /// A consistent copy of the pipeline's counters.
    var statistics: PipelineStatistics.Snapshot { get }
    /// How often the MQTT thread had to wait for a free inbox batch.
    var inboxStalls: Int { get }
    /// The broker link in one word: `connected`, `connecting`, `disconnected`, …
    var brokerStatus: String { get }
    /// The pipeline's "now", or nil while a virtual clock is unset.
    func now() -> Timestamp?
    /// Whether `site` is configured.
    func knows(site: SiteID) -> Bool
    /// Queues a command; it is journaled and applied by the pipeline thread.
    func submit(_ input: OperatorInput)
    /// The sites, units and routes.
    var configuration: WatchConfiguration { get }
    /// This daemon's place in an active/standby pair; nil for a single daemon.
    var highAvailability: HAStatus? { get }
}

extension OperatorBackend {
    public var highAvailability: HAStatus? { nil }

    /// A site's name, or its id if it is not configured.
    func siteName(_ site: String) -> String {
        configuration.sites.first { $0.id.rawValue == site }?.name ?? site
    }
}

/// The production backend: a running `Pipeline` with its configuration, clock and link state.
public struct PipelineOperatorBackend: OperatorBackend {
    public let pipeline: Pipeline
    public let configuration: WatchConfiguration
    private let sites: Set<SiteID>
    private let clock: any WatchClock
    private let stalls: @Sendable () -> Int
    private let broker: @Sendable () -> String
    private let submitter: @Sendable (OperatorInput) -> Void
    private let ha: (@Sendable () -> HAStatus)?

    /// - Parameters:
    ///   - submit: where commands go; by default the pipeline, in a pair the broker.
    ///   - highAvailability: the pair's status, when the daemon is one of a pair.
    public init(
        pipeline: Pipeline, configuration: WatchConfiguration, clock: any WatchClock,
        inboxStalls: @escaping @Sendable () -> Int, brokerStatus: @escaping @Sendable () -> String,
        submit: (@Sendable (OperatorInput) -> Void)? = nil, highAvailability: (@Sendable () -> HAStatus)? = nil
    ) {
        self.submitter = submit ?? { pipeline.submit($0) }
        self.ha = highAvailability
        self.pipeline = pipeline
        self.configuration = configuration
        self.sites = Set(configuration.sites.map(\.id))
        self.clock = clock
        self.stalls = inboxStalls
        self.broker = brokerStatus
    }

    public var journal: Journal { pipeline.journal }
    public var statistics: PipelineStatistics.Snapshot { pipeline.statistics.snapshot }
    public var inboxStalls: Int { stalls() }
    public var brokerStatus: String { broker() }
    public func now() -> Timestamp? { clock.now() }
    public func knows(site: SiteID) -> Bool { sites.contains(site) }
    public func submit(_ input: OperatorInput) { submitter(input) }
    public var highAvailability: HAStatus? { ha?() }
}
