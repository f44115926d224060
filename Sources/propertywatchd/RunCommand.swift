import ArgumentParser
import Logging
import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchPipeline
import ServiceLifecycle

/// `propertywatchd run`: the daemon (the default subcommand).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon until SIGTERM or SIGINT.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/propertywatch/propertywatchd.yaml"

    @Option(name: .long, help: "Journal database path (overrides journal.path).")
    var journal: String?

    @Option(name: .long, help: "Broker port (overrides broker.port).")
    var brokerPort: Int?

    @Option(name: .long, help: "Operator HTTP port (overrides http.port; 0 picks a free one).")
    var httpPort: Int?

    @Option(name: .long, help: "This daemon's node name in an active/standby pair (overrides ha.node; also names its client id).")
    var node: String?

    @Option(name: .long, help: "Operators file (overrides http.users_file).")
    var usersFile: String?

    @Option(name: .long, help: "Directory for the nightly reports (overrides report.directory).")
    var reportDirectory: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical (overrides log_level).")
    var logLevel: Logger.Level?

    @Flag(name: .long, help: "Take time from clock messages on propertywatch/v1/sim/clock (scenario runner only; never in production).")
    var virtualClock = false

    func run() async throws {
        let report = ConfigurationLoader.read(path: config)
        for warning in report.warnings { print("warning: \(warning)") }
        guard var loaded = report.configuration, report.errors.isEmpty else {
            for error in report.errors { print("error: \(error)") }
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart into a broken configuration.
        }
        if let journal { loaded.daemon.journal.path = journal }
        if let brokerPort { loaded.daemon.broker.port = brokerPort }
        if let httpPort { loaded.daemon.http.port = httpPort }
        if let usersFile { loaded.daemon.http.usersFile = usersFile }
        if let node { loaded.daemon.ha.node = node }
        if let reportDirectory { loaded.daemon.report.directory = reportDirectory }
        if let logLevel { loaded.daemon.logLevel = logLevel.rawValue }

        let level = Logger.Level(rawValue: loaded.daemon.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "propertywatchd")
        logger.info("daemon.starting", metadata: [
            "config.path": "\(config)", "journal.path": "\(loaded.daemon.journal.path)",
            "sites.count": "\(loaded.watch.sites.count)",
        ])
        if virtualClock { logger.warning("daemon.virtual.clock", metadata: ["clock.topic": "\(Topic.simulatedClock)"]) }
        let services: [any Service]
        do {
            services = try Daemon.build(configuration: loaded, virtualClock: virtualClock, logger: logger)
        } catch let error as JournalError {
            print("error: \(error)")
            throw ExitCode(74)  // EX_IOERR: systemd retries after RestartSec.
        } catch let error as ConfigurationError {
            print("error: \(error)")
            throw ExitCode(78)
        }
        // A service that throws (the pipeline stopping by itself) shuts the others down in
        // order, as a signal would; the error then ends the daemon.
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0, failureTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as PipelineError {
            logger.critical("daemon.stopped.failed", metadata: ["error": "\(error)"])
            throw ExitCode(70)  // EX_SOFTWARE: systemd restarts the daemon, which recovers from the journal.
        }
        logger.info("daemon.stopped")
    }
}

/// `--log-level` is parsed as a level, so a typo is an error at the command line.
extension Logger.Level: @retroactive ExpressibleByArgument {}
