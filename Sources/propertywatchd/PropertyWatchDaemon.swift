import ArgumentParser

/// `propertywatchd`: the PropertyWatch daemon.
@main
struct PropertyWatchDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propertywatchd",
        abstract: "Watches municipal buildings at night: alarms and cameras in, guard requests out.",
        subcommands: [RunCommand.self, ValidateCommand.self, BrokerACLCommand.self],
        defaultSubcommand: RunCommand.self)
}
