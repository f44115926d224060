import ArgumentParser
import PropertyWatchConfig

/// `propertywatchd validate`: checks a configuration file and prints every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a configuration file; exit 1 if it has errors.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/propertywatch/propertywatchd.yaml"

    func run() throws {
        let report = ConfigurationLoader.read(path: config)
        for problem in report.problems { print(problem) }
        guard let loaded = report.configuration, report.errors.isEmpty else {
            print("\(config): \(report.errors.count) error(s), \(report.warnings.count) warning(s)")
            throw ExitCode(1)
        }
        print("\(config): OK (\(loaded.watch.sites.count) sites, \(loaded.watch.patrol.units.count) units, \(report.warnings.count) warning(s))")
    }
}
