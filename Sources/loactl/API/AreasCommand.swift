import ArgumentParser

/// `loactl areas [list|add]`: provinces, districts, communes.
struct AreasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "areas", abstract: "Areas: provinces, districts, communes.",
                                                    subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "The areas you can see, as a tree.")
        @OptionGroup var api: APIOptions
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.json(APIRoutes.areas).items, APITables.areas)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(abstract: "Add an area.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Area id, e.g. xa-tan-lap.") var id: String
        @Option(help: "province, district or commune.") var kind: String
        @Option(help: "Display name, e.g. \"Xã Tân Lập\" (default: the id).") var name: String?
        @Option(help: "Parent area id (none for a province).") var parent: String?

        func run(_ client: APIClient) async throws {
            guard ["province", "district", "commune"].contains(kind) else {
                throw APIFailure.usage("--kind must be province, district or commune, not '\(kind)'")
            }
            let area = try await client.json(APIRoutes.addArea(id: id, name: name, kind: kind, parent: parent))
            api.output(area) { "area \($0["id"]?.cell ?? id) added (\($0["kind"]?.cell ?? kind))" }
        }
    }
}
