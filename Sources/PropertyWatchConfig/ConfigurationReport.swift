/// The outcome of reading a configuration file: the configuration when it has no errors,
/// and every problem found, in file order.
public struct ConfigurationReport: Sendable {
    public var configuration: PropertyWatchConfiguration?
    public var problems: [ConfigurationError]

    public init(configuration: PropertyWatchConfiguration?, problems: [ConfigurationError]) {
        self.configuration = configuration
        self.problems = problems
    }

    public var errors: [ConfigurationError] { problems.filter { $0.severity == .error } }
    public var warnings: [ConfigurationError] { problems.filter { $0.severity == .warning } }
}
