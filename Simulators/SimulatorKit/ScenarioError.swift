/// Problems in a scenario file, each with its key path.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var problems: [String]

    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}
