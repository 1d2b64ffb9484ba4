import ArgumentParser

/// `loactl`: the command line for Loa's operators and technicians.
@main
struct LoaCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loactl",
        abstract: "Loa — IP radio for commune loudspeakers: command line for operators and technicians.",
        subcommands: [AudioCommand.self, GatewayCommand.self,
                      // The controller's HTTP API (Sources/loactl/API).
                      LoginCommand.self, LogoutCommand.self, AreasCommand.self, GatewaysCommand.self, BulletinsCommand.self,
                      SchedulesCommand.self, AnnounceCommand.self, AnnouncementsCommand.self, StopCommand.self, PlayLogCommand.self,
                      AuditCommand.self, LiveCommand.self, RelaysCommand.self, ProgramsCommand.self, DispatchCommand.self, InboxCommand.self,
                      ReportCommand.self, UsersCommand.self, LinkCommand.self]
    )
}
