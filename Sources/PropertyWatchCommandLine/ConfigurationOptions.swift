import ArgumentParser
import Logging
import PropertyWatchConfig

/// The options every long-running executable reading the daemon's configuration file takes
/// (`propertywatchd run`, `pw-dc09`): the file, and the overrides of its broker port and log
/// level. `load()` reads the file the same way for all of them.
public struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    public var config: String = "/etc/propertywatch/propertywatchd.yaml"

    @Option(name: .long, help: "Broker port (overrides broker.port).")
    public var brokerPort: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical (overrides log_level).")
    public var logLevel: Logger.Level?

    public init() {}

    /// The configuration with this command line's overrides; warnings and errors printed.
    /// Errors end the command with exit code 78 (EX_CONFIG: systemd does not restart into a
    /// broken configuration).
    public func load() throws -> PropertyWatchConfiguration {
        let report = ConfigurationLoader.read(path: config)
        for warning in report.warnings { print("warning: \(warning)") }
        guard var loaded = report.configuration, report.errors.isEmpty else {
            for error in report.errors { print("error: \(error)") }
            throw ExitCode(78)
        }
        if let brokerPort { loaded.daemon.broker.port = brokerPort }
        if let logLevel { loaded.daemon.logLevel = logLevel.rawValue }
        return loaded
    }

    /// Logs to standard output at the configuration's level (`log_level`, or the override).
    public static func bootstrapLogging(_ configuration: PropertyWatchConfiguration) {
        let level = Logger.Level(rawValue: configuration.daemon.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// `--log-level` is parsed as a level, so a typo is an error at the command line.
extension Logger.Level: @retroactive ExpressibleByArgument {}
