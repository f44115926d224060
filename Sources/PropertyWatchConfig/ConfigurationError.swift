/// A configuration problem, with where it is and why.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// A line number when the YAML parser knows one.
    public var line: Int?
    /// A dotted key path such as `sites[2].devices[0].zone`.
    public var key: String?
    public var reason: String

    public init(file: String, line: Int? = nil, key: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += ": \(key)" }
        return "\(location): \(reason)"
    }
}
