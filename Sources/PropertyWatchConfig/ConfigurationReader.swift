import PropertyWatchCore
import Yams

/// Walks a composed YAML tree and builds the configuration, collecting every problem with its
/// line and key path instead of stopping at the first.
struct ConfigurationReader {
    /// A value in the tree and the key path that leads to it.
    struct Entry {
        let node: Node
        let path: String
        var line: Int? { node.mark?.line }
    }

    /// The entries of a mapping whose keys were checked against the known ones.
    struct Fields {
        let node: Node
        let path: String
        fileprivate(set) var entries: [String: Entry] = [:]
        fileprivate(set) var empty: Set<String> = []

        subscript(key: String) -> Entry? { entries[key] }
        func has(_ key: String) -> Bool { entries[key] != nil }
    }

    let file: String
    private(set) var problems: [ConfigurationError] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Problems

    mutating func error(_ entry: Entry, _ reason: String) {
        error(line: entry.line, path: entry.path, reason)
    }

    mutating func error(line: Int?, path: String, _ reason: String) {
        problems.append(ConfigurationError(file: file, line: line, key: path.isEmpty ? nil : path, reason: reason))
    }

    mutating func warning(_ entry: Entry, _ reason: String) {
        problems.append(ConfigurationError(file: file, line: entry.line, key: entry.path, reason: reason, severity: .warning))
    }

    var hasErrors: Bool { problems.contains { $0.severity == .error } }

    // MARK: Structure

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping at `entry`, with unknown keys reported (and the closest known one suggested).
    mutating func fields(_ entry: Entry?, known: [String]) -> Fields? {
        guard let entry else { return nil }
        guard let mapping = entry.node.mapping else {
            error(entry, "expected a mapping of keys, found \(Self.describe(entry.node))")
            return nil
        }
        var fields = Fields(node: entry.node, path: entry.path)
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(line: keyNode.mark?.line, path: entry.path, "keys must be plain words")
                continue
            }
            let path = Self.child(entry.path, key)
            guard known.contains(key) else {
                var reason = "unknown key '\(key)'"
                if let suggestion = KeySuggestion.closest(to: key, in: known) {
                    reason += "; did you mean '\(suggestion)'?"
                } else {
                    reason += "; known keys: \(known.joined(separator: ", "))"
                }
                error(line: keyNode.mark?.line, path: path, reason)
                continue
            }
            if Self.isNull(value) {
                fields.empty.insert(key)
            } else {
                fields.entries[key] = Entry(node: value, path: path)
            }
        }
        return fields
    }

    /// The entry for a key that must be present.
    mutating func require(_ fields: Fields, _ key: String) -> Entry? {
        if let entry = fields[key] { return entry }
        let reason = fields.empty.contains(key) ? "'\(key)' has no value" : "missing required key '\(key)'"
        error(line: fields.node.mark?.line, path: Self.child(fields.path, key), reason)
        return nil
    }

    /// The elements of a list, each with its indexed path.
    mutating func list(_ entry: Entry?) -> [Entry]? {
        guard let entry else { return nil }
        guard let sequence = entry.node.sequence else {
            error(entry, "expected a list, found \(Self.describe(entry.node))")
            return nil
        }
        return sequence.enumerated().map { Entry(node: $1, path: "\(entry.path)[\($0)]") }
    }

    // MARK: Scalars

    mutating func scalar(_ entry: Entry?, expected: String) -> String? {
        guard let entry else { return nil }
        guard let scalar = entry.node.scalar else {
            error(entry, "expected \(expected), found \(Self.describe(entry.node))")
            return nil
        }
        return scalar.string
    }

    mutating func string(_ entry: Entry?, allowEmpty: Bool = false) -> String? {
        guard let entry, let text = scalar(entry, expected: "a string") else { return nil }
        if !allowEmpty, text.allSatisfy(\.isWhitespace) {
            error(entry, "must not be empty")
            return nil
        }
        return text
    }

    mutating func int(_ entry: Entry?, in range: ClosedRange<Int>) -> Int? {
        guard let entry, let text = scalar(entry, expected: "a whole number") else { return nil }
        guard let value = Int(text) else {
            error(entry, "expected a whole number, found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            error(entry, "\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func double(_ entry: Entry?, in range: ClosedRange<Double>) -> Double? {
        guard let entry, let text = scalar(entry, expected: "a number") else { return nil }
        guard let value = Double(text), value.isFinite else {
            error(entry, "expected a number, found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            error(entry, "\(text) is out of range \(Self.format(range.lowerBound))…\(Self.format(range.upperBound))")
            return nil
        }
        return value
    }

    mutating func bool(_ entry: Entry?) -> Bool? {
        guard let entry, let text = scalar(entry, expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(entry, "expected true or false, found '\(text)'")
            return nil
        }
    }

    /// One of a fixed set of words.
    mutating func choice(_ entry: Entry?, of options: [String]) -> String? {
        guard let entry, let text = scalar(entry, expected: "one of \(options.joined(separator: ", "))") else { return nil }
        guard options.contains(text) else {
            var reason = "'\(text)' is not one of \(options.joined(separator: ", "))"
            if let suggestion = KeySuggestion.closest(to: text, in: options) { reason += "; did you mean '\(suggestion)'?" }
            error(entry, reason)
            return nil
        }
        return text
    }

    /// An identifier used in MQTT topics and the journal: letters, digits, `.`, `_`, `-`.
    mutating func identifier(_ entry: Entry?) -> String? {
        guard let entry, let text = string(entry) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard allowed, text.count <= 64 else {
            error(entry, "'\(text)' is not a valid id: use up to 64 ASCII letters, digits, '.', '_' or '-'")
            return nil
        }
        return text
    }

    // MARK: Helpers

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
