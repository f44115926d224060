import ArgumentParser
import PropertyWatchConfig

/// `propertywatchd validate`: checks a configuration file and prints every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a configuration file; exit 1 if it has errors.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/propertywatch/propertywatchd.yaml"

    func run() throws {
        do {
            let loaded = try InterimConfigLoader.load(path: config)
            print("\(config): OK (\(loaded.watch.sites.count) sites, \(loaded.watch.patrol.units.count) units)")
        } catch {
            print("\(error)")
            throw ExitCode(1)
        }
    }
}
