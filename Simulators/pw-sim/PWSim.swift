import ArgumentParser

/// `pw-sim`: simulators for PropertyWatch (alarm panels, cameras, patrol cars), a load
/// generator, a whole-night player and the scenario runner.
@main
struct PWSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pw-sim",
        abstract: "Simulated alarm panels, cameras and patrol cars for PropertyWatch.",
        subcommands: [
            PanelsCommand.self, CamerasCommand.self, PatrolCommand.self, LoadCommand.self, NightCommand.self,
            ScenarioCommand.self,
        ])
}
