import Foundation
import PropertyWatchCore
import Yams

/// Reads the one YAML configuration file into a `PropertyWatchConfiguration`.
///
/// Every problem is collected (unknown keys with a suggestion, wrong types, bad times,
/// duplicate ids, dangling references), each with the file, line, key path and reason.
/// `REFERENCE.md` next to the example configuration documents every key and its default.
public enum ConfigurationLoader {
    static let topLevelKeys = ["broker", "journal", "http", "log_level", "decoding", "rules", "sites", "patrol", "frigate", "report", "dc09", "ha"]

    /// Loads and validates the file at `path`; throws `ConfigurationFailure` listing every
    /// problem when there is at least one error.
    public static func load(path: String) throws -> PropertyWatchConfiguration {
        try unwrap(read(path: path))
    }

    /// Parses and validates YAML text; `file` names it in problems.
    public static func parse(yaml: String, file: String) throws -> PropertyWatchConfiguration {
        try unwrap(read(yaml: yaml, file: file))
    }

    /// Every problem in the YAML text, errors and warnings, in file order; empty when clean.
    public static func validate(yaml: String, file: String) -> [ConfigurationError] {
        read(yaml: yaml, file: file).problems
    }

    /// Reads the file at `path`: the configuration if it has no errors, and all problems.
    public static func read(path: String) -> ConfigurationReport {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return read(yaml: text, file: path)
        } catch {
            return ConfigurationReport(configuration: nil, problems: [
                ConfigurationError(file: path, reason: "cannot read the file: \(error.localizedDescription)")
            ])
        }
    }

    /// Reads YAML text: the configuration if it has no errors, and all problems.
    public static func read(yaml: String, file: String) -> ConfigurationReport {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return ConfigurationReport(configuration: nil, problems: [syntaxProblem(error, file: file)])
        }
        guard let root, !ConfigurationReader.isNull(root) else {
            return ConfigurationReport(configuration: nil, problems: [
                ConfigurationError(file: file, reason: "the configuration is empty")
            ])
        }
        var reader = ConfigurationReader(file: file)
        let configuration = reader.configuration(ConfigurationReader.Entry(node: root, path: ""))
        let problems = reader.problems.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
        return ConfigurationReport(configuration: reader.hasErrors ? nil : configuration, problems: problems)
    }

    private static func unwrap(_ report: ConfigurationReport) throws -> PropertyWatchConfiguration {
        guard let configuration = report.configuration, report.errors.isEmpty else {
            throw ConfigurationFailure(problems: report.problems)
        }
        return configuration
    }

    private static func syntaxProblem(_ error: any Error, file: String) -> ConfigurationError {
        guard let yamlError = error as? YamlError else {
            return ConfigurationError(file: file, reason: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationError(file: file, line: mark.line, reason: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(
                file: file, line: context.mark.line,
                reason: "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        default:
            return ConfigurationError(file: file, reason: "invalid YAML: \(yamlError)")
        }
    }
}
