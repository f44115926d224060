/// Thrown when a configuration file has errors: every problem found, warnings included.
public struct ConfigurationFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationError]

    public init(problems: [ConfigurationError]) {
        self.problems = problems
    }

    public var errors: [ConfigurationError] { problems.filter { $0.severity == .error } }

    public var description: String {
        let count = errors.count
        return "\(count) configuration error\(count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
