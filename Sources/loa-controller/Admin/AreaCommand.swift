import ArgumentParser
import LoaController

struct AreaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "area", abstract: "Areas: provinces, districts, communes.",
                                                    subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an area.")
        @OptionGroup var state: StateOptions
        @Argument(help: "Area id, e.g. xa-tan-lap.") var id: String
        @Option(help: "Display name, e.g. \"Xã Tân Lập\".") var name: String?
        @Option(help: "province, district or commune.") var kind: String
        @Option(help: "Parent area id (none for a province).") var parent: String?

        func run() async throws {
            guard let kind = Area.Kind(rawValue: kind) else {
                throw ValidationError("--kind must be province, district or commune, not '\(self.kind)'")
            }
            let (_, opened, _) = try await state.open()
            try await opened.database.createArea(Area(id: id, name: name ?? id, kind: kind, parentID: parent), origin: state.origin)
            print("area \(id) added")
        }
    }
}
