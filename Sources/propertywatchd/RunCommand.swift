import ArgumentParser
import Logging
import PropertyWatchCommandLine
import PropertyWatchConfig
import PropertyWatchCore
import PropertyWatchPipeline
import ServiceLifecycle

/// `propertywatchd run`: the daemon (the default subcommand).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "Journal database path (overrides journal.path).")
    var journal: String?

    @Option(name: .long, help: "Operator HTTP port (overrides http.port; 0 picks a free one).")
    var httpPort: Int?

    @Option(name: .long, help: "This daemon's node name in an active/standby pair (overrides ha.node; also names its client id).")
    var node: String?

    @Option(name: .long, help: "Operators file (overrides http.users_file).")
    var usersFile: String?

    @Option(name: .long, help: "Directory for the nightly reports (overrides report.directory).")
    var reportDirectory: String?

    @Flag(name: .long, help: "Take time from clock messages on propertywatch/v1/sim/clock (scenario runner only; never in production).")
    var virtualClock = false

    func run() async throws {
        var loaded = try options.load()
        if let journal { loaded.daemon.journal.path = journal }
        if let httpPort { loaded.daemon.http.port = httpPort }
        if let usersFile { loaded.daemon.http.usersFile = usersFile }
        if let node { loaded.daemon.ha.node = node }
        if let reportDirectory { loaded.daemon.report.directory = reportDirectory }
        ConfigurationOptions.bootstrapLogging(loaded)
        let logger = Logger(label: "propertywatchd")
        logger.info("daemon.starting", metadata: [
            "config.path": "\(options.config)", "journal.path": "\(loaded.daemon.journal.path)",
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
