import ArgumentParser
import Foundation

/// `loactl programs list|show|add|items|rm`: an area's broadcast programs (chương trình phát thanh).
struct ProgramsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programs", abstract: "Broadcast programs: list, show, add, change items, remove.",
        discussion: """
            A program is a block of items at set hours, played back to back by every gateway of its area (and below),
            offline too. Items: jingle:SHA, bulletin:SHA (approved bulletins, SHA-256 or a unique prefix), pause:SECONDS,
            relay:SECONDS:TITLE:URL (upstream radio relayed for that long; the title without ':'; add ' fallback=SHA' for
            an approved bulletin played where the relay does not arrive).
            Example: loactl programs add --area xa-tan-lap --name "Chương trình sáng" --daily --at 05:30 --planned 1800 \\
                       --item jingle:3f2a --item bulletin:9c1d --item pause:3 --item bulletin:77e0 --item jingle:3f2a
            """,
        subcommands: [List.self, Show.self, Add.self, Items.self, Remove.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Programs in your scope, with their length and next start.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only programs of this area, above it or below it.") var area: String?
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.programs(area: area), limit: 0, all: true), APITables.programs)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One program: its items on its time line, its next starts.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Program id.") var id: String
        func run(_ client: APIClient) async throws {
            api.output(try await client.json(APIRoutes.program(id)), APITables.program)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "A program for an area at fixed hours.")
        @OptionGroup var api: APIOptions
        @Option(help: "The area (and everything below it) that plays the program.") var area: String
        @Option(help: "Its name, for the schedule and the log.") var name: String
        @Option(name: .customLong("item"), help: "An item, in order: jingle:SHA, bulletin:SHA, pause:SECONDS or relay:SECONDS:TITLE:URL[ fallback=SHA] (repeat the option).")
        var items: [String] = []
        @OptionGroup var when: RecurrenceOptions
        @Option(help: "How long it is meant to last, in seconds (10–21600).") var planned: Int?
        @Option(help: "Past the planned length: finish-item (default: the item on air finishes, the rest is left out) or play-on.")
        var overrun: String?
        @Option(help: "Priority 0–199 (default 60, the scheduled band).") var priority: Int?
        @Option(help: "What an interrupted item does afterwards: resume (default), restart or drop.") var onInterrupt: String?

        func run(_ client: APIClient) async throws {
            guard case .object(var body) = try when.spec(bulletin: "", areas: [area]).input(now: Date()) else { return }
            for key in ["bulletin", "areas", "gateways", "repeat"] { body[key] = nil }
            body["areaId"] = .string(area)
            body["name"] = .string(name)
            body["items"] = .array(try await ProgramItems.parse(items, client))
            if let planned { body["plannedSeconds"] = .number(Double(planned)) }
            if let overrun { body["overrun"] = .string(overrun) }
            if let priority { body["priority"] = .number(Double(priority)) }
            if let onInterrupt { body["onInterrupt"] = .string(onInterrupt) }
            api.output(try await client.json(APIRoutes.addProgram(.object(body))), APITables.program)
        }
    }

    struct Items: APICommand {
        static let configuration = CommandConfiguration(
            commandName: "items", abstract: "Replace a program's items (add, remove, reorder); the gateways get it at once.",
            discussion: "An item on air plays on; the new order takes effect from the next item.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Program id.") var id: String
        @Option(name: .customLong("item"), help: "An item, in order: jingle:SHA, bulletin:SHA, pause:SECONDS or relay:SECONDS:TITLE:URL[ fallback=SHA] (repeat the option).")
        var items: [String] = []

        func run(_ client: APIClient) async throws {
            let current = try await client.json(APIRoutes.program(id))
            guard case .object(var body) = current else { throw APIFailure.usage("program \(id): unexpected answer") }
            for key in ["id", "createdBy", "updatedAt", "nextOccurrences", "lengthMs"] { body[key] = nil }
            if body["recurrence"]?.string != "weekly" { body["days"] = nil }
            body["items"] = .array(try await ProgramItems.parse(items, client))
            api.output(try await client.json(APIRoutes.replaceProgram(id, .object(body))), APITables.program)
        }
    }

    struct Remove: APICommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a program.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Program id.") var id: String
        func run(_ client: APIClient) async throws {
            _ = try await client.send(APIRoutes.removeProgram(id))
            if !api.json { print("program \(id) removed") }
        }
    }
}

/// `--item` values → the API's ProgramItemInput list.
enum ProgramItems {
    static func parse(_ items: [String], _ client: APIClient) async throws -> [JSONValue] {
        guard !items.isEmpty else { throw APIFailure.usage("give the items in order with --item jingle:SHA, --item bulletin:SHA, --item pause:SECONDS") }
        var result: [JSONValue] = []
        for text in items {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw APIFailure.usage("--item \(text): write jingle:SHA, bulletin:SHA, pause:SECONDS or relay:SECONDS:TITLE:URL") }
            switch parts[0] {
            case "relay":
                result.append(try await relay(text, client))
            case "jingle", "bulletin":
                result.append(.object(["type": .string(parts[0]), "bulletin": .string(try await resolveBulletin(parts[1], client))]))
            case "pause":
                guard let seconds = Int(parts[1]), (1...600).contains(seconds) else {
                    throw APIFailure.usage("--item \(text): a pause is 1–600 seconds")
                }
                result.append(.object(["type": .string("pause"), "seconds": .number(Double(seconds))]))
            default:
                throw APIFailure.usage("--item \(text): the kind is jingle, bulletin, pause or relay, not '\(parts[0])'")
            }
        }
        return result
    }

    /// `relay:SECONDS:TITLE:URL`, optionally followed by ` fallback=SHA` (a URL has no spaces).
    static func relay(_ text: String, _ client: APIClient) async throws -> JSONValue {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let seconds = Int(parts[1]), !parts[2].isEmpty, !parts[3].isEmpty else {
            throw APIFailure.usage("--item \(text): write relay:SECONDS:TITLE:URL (the title without ':'), e.g. relay:900:Thời sự VOV1:http://radio.example/vov1.mp3")
        }
        let tail = parts[3].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var item: [String: JSONValue] = ["type": .string("relay"), "seconds": .number(Double(seconds)), "title": .string(parts[2]),
                                         "url": .string(tail.first ?? "")]
        for extra in tail.dropFirst() {
            guard extra.hasPrefix("fallback=") else { throw APIFailure.usage("--item \(text): after the URL only ' fallback=SHA' may follow, not '\(extra)'") }
            item["fallbackBulletin"] = .string(try await resolveBulletin(String(extra.dropFirst(9)), client))
        }
        return .object(item)
    }
}
