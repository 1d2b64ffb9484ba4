import ArgumentParser

/// `loactl`: the command line for Loa's operators and technicians.
@main
struct LoaCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loactl",
        abstract: "Loa — IP radio for commune loudspeakers: command line for operators and technicians.",
        subcommands: [AudioCommand.self, GatewayCommand.self]
    )
}
