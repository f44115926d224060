import ArgumentParser
import PropertyWatchConfig

/// `propertywatchd broker-acl`: prints the Mosquitto ACL file for a configuration.
struct BrokerACLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker-acl",
        abstract: "Print the Mosquitto ACL for a configuration: each device, unit and the daemon limited to its own topics.")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/propertywatch/propertywatchd.yaml"

    func run() throws {
        let report = ConfigurationLoader.read(path: config)
        guard let loaded = report.configuration, report.errors.isEmpty else {
            for error in report.errors { print("error: \(error)") }
            throw ExitCode(78)
        }
        print(BrokerACL.render(loaded.watch, daemonUsername: loaded.daemon.broker.username ?? "propertywatchd"), terminator: "")
    }
}
