/// A configuration problem, with where it is and why.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Errors stop the daemon from starting; warnings are logged and the file is used.
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var file: String
    /// A line number when the YAML parser knows one.
    public var line: Int?
    /// A dotted key path such as `sites[2].devices[0].zone`.
    public var key: String?
    public var reason: String
    public var severity: Severity

    public init(file: String, line: Int? = nil, key: String? = nil, reason: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.key = key
        self.reason = reason
        self.severity = severity
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += ": \(key)" }
        return "\(location): \(severity == .warning ? "warning: " : "")\(reason)"
    }
}
