import ArgumentParser
import Foundation

/// `loactl dispatch send|list|show`: bulletins sent down to communes by class (TT 39/2020).
struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch", abstract: "Send bulletins down to communes (normal, priority, emergency) and see what became of them.",
        discussion: """
            normal: the communes' inboxes (they place it into a program or decline it); priority: the front of each commune's next
            program occurrence; emergency: at once on every gateway, in the emergency band, --repeat times.
            Example: loactl dispatch send --bulletin 9c1d --area huyen-cam-xuyen --class priority --note "Phát sáng mai"
            """,
        subcommands: [Send.self, List.self, Show.self], defaultSubcommand: List.self)

    struct Send: APICommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send an approved bulletin down to the communes of some areas.")
        @OptionGroup var api: APIOptions
        @Option(help: "SHA-256 (or a unique prefix) of an approved bulletin.") var bulletin: String
        @Option(name: .customLong("area"), help: "A target area; its communes get it (repeat the option).") var areas: [String] = []
        @Option(name: .customLong("class"), help: "normal (default), priority or emergency.") var dispatchClass = "normal"
        @Option(help: "A note for the communes.") var note: String?
        @Option(help: "Priority: the program to enter (default each commune's next occurrence).") var program: Int?
        @Option(name: .customLong("repeat"), help: "Emergency: how many times it plays (1–5).") var repeatCount: Int?

        func run(_ client: APIClient) async throws {
            guard !areas.isEmpty else { throw APIFailure.usage("name at least one --area") }
            var body: [String: JSONValue] = ["bulletin": .string(try await resolveBulletin(bulletin, client)),
                                             "areas": .array(areas.map(JSONValue.string)), "class": .string(dispatchClass)]
            if let note { body["note"] = .string(note) }
            if let program { body["program"] = .number(Double(program)) }
            if let repeatCount { body["repeat"] = .number(Double(repeatCount)) }
            api.output(try await client.json(APIRoutes.sendDispatch(.object(body))), APITables.dispatch)
        }
    }

    struct List: APICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Bulletins sent down that you sent or that reached your area.")
        @OptionGroup var api: APIOptions
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.dispatches, limit: 0, all: true), APITables.dispatches)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Per commune what became of it, per gateway what played when.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Dispatch id.") var id: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.dispatch(id)), APITables.dispatch)
        }
    }
}

/// `loactl inbox list|show|place|decline`: a commune's inbox of bulletins sent down.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Bulletins sent down to your commune: list, open, place into a program, decline.",
        subcommands: [List.self, Show.self, Place.self, Decline.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The inbox, newest first.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only this commune (or the communes below this area).") var area: String?
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.inbox(area: area), limit: 0, all: true), APITables.inbox)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Open an item (a delivered one becomes seen).")
        @OptionGroup var api: APIOptions
        @Argument(help: "Inbox item id.") var id: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.inboxItem(id)), APITables.inboxItem)
        }
    }

    struct Place: APICommand {
        static let configuration = CommandConfiguration(commandName: "place", abstract: "Place it into an occurrence of one of your programs (or move it).")
        @OptionGroup var api: APIOptions
        @Argument(help: "Inbox item id.") var id: String
        @Option(help: "Program id.") var program: Int
        @Option(help: "Its place in the occurrence, from 1.") var position: Int
        @Option(help: "The occurrence's local day YYYY-MM-DD (default the program's next).") var date: String?
        func run(_ client: APIClient) async throws {
            var body: [String: JSONValue] = ["program": .number(Double(program)), "position": .number(Double(position))]
            if let date { body["date"] = .string(date) }
            api.output(try await client.json(APIRoutes.placeInboxItem(id, .object(body))), APITables.inboxItem)
        }
    }

    struct Decline: APICommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline it, saying why (the sender sees the reason).")
        @OptionGroup var api: APIOptions
        @Argument(help: "Inbox item id.") var id: String
        @Option(help: "Why.") var reason: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.declineInboxItem(id, .object(["reason": .string(reason)]))), APITables.inboxItem)
        }
    }
}
