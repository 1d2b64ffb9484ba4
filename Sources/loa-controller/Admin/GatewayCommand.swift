import ArgumentParser
import LoaController

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "Gateways.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a gateway; prints its secret once.")
        @OptionGroup var state: StateOptions
        @Argument(help: "Gateway id, e.g. xa-tan-lap-01.") var id: String
        @Option(help: "The commune it stands in.") var area: String
        @Option(help: "Display name.") var name: String?

        func run() async throws {
            let (_, opened, _) = try await state.open()
            let registration = try await opened.database.createGateway(id: id, name: name ?? id, areaID: area, location: nil,
                                                                       origin: state.origin)
            print("gateway \(id) added in \(area)")
            print("secret (shown once; the gateway's gateway.secret or the content of its secret_file): \(registration.secret.base64)")
        }
    }
}
