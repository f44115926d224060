import ArgumentParser

/// `pwctl`: the operator's command line for a running propertywatchd.
@main
struct PWCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pwctl",
        abstract: "Operate PropertyWatch from the command line: incidents, actions, units, reports, live tail.",
        discussion: """
            pwctl talks to propertywatchd's operator API. The address comes from --url or PWCTL_URL \
            (default http://127.0.0.1:8480), the token from --token, PWCTL_TOKEN, or the file named by \
            --token-file / PWCTL_TOKEN_FILE. Shell completion: pwctl --generate-completion-script bash|zsh|fish.
            """,
        subcommands: [
            Status.self, Incidents.self, Show.self, Ack.self, Note.self, Close.self, Silence.self, Check.self,
            Units.self, Report.self, Tail.self, HashToken.self, HashPassword.self,
        ])
}
