import ArgumentParser
import Foundation

/// `loactl relays list|add|rm`: scheduled relays ("tiếp sóng" at fixed hours).
struct RelaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relays", abstract: "Scheduled relays of upstream radio: list, add, remove.",
        discussion: """
            Example: loactl relays add --area huyen-cam-xuyen --title "Tiếp sóng VOV1" --url https://…/vov1.m3u8 --daily --at 06:00 --duration 1800
            The controller opens each window on time and ends it after --duration seconds; a gateway that does not get
            the relay logs the window missed and plays --fallback (an approved bulletin) instead.
            """,
        subcommands: [List.self, Add.self, Remove.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Scheduled relays in your scope, with their next window.")
        @OptionGroup var api: APIOptions
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.relaySchedules, limit: 0, all: true), APITables.relaySchedules)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Relay an upstream to an area at fixed hours.")
        @OptionGroup var api: APIOptions
        @Option(help: "The area (and everything below it) that hears the relay.") var area: String
        @Option(help: "What it is, for the schedule and the log.") var title: String
        @Option(help: "The upstream: an http(s) Icecast/Shoutcast stream, HLS playlist or audio URL.") var url: String
        @Option(help: "How long each window lasts, in seconds (10–21600).") var duration: Int
        @OptionGroup var when: RecurrenceOptions
        @Option(help: "Priority 0–199 (default 20, the background band: bulletins and announcements interrupt the relay).") var priority: Int?
        @Option(help: "SHA-256 (or a unique prefix) of an approved bulletin a gateway plays when the relay does not reach it.") var fallback: String?

        func run(_ client: APIClient) async throws {
            let fallbackSHA256: String? = if let fallback { try await resolveBulletin(fallback, client) } else { nil }
            let input = try RelaySpec(area: area, title: title, url: url, duration: duration, fallback: fallbackSHA256,
                                      when: when.spec(bulletin: "", areas: [area]))
                .input(now: Date(), priority: priority)
            api.output(try await client.json(APIRoutes.addRelaySchedule(input)), APITables.relaySchedule)
        }
    }

    struct Remove: APICommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a scheduled relay (a window on air ends).")
        @OptionGroup var api: APIOptions
        @Argument(help: "Scheduled relay id.") var id: String
        func run(_ client: APIClient) async throws {
            _ = try await client.send(APIRoutes.removeRelaySchedule(id))
            if !api.json { print("relay schedule \(id) removed") }
        }
    }
}

/// `loactl relays add` options → the API's RelayScheduleInput: the recurrence is read as
/// `schedule add` reads it (`ScheduleSpec`), the rest is the relay's.
struct RelaySpec: Equatable, Sendable {
    var area: String
    var title: String
    var url: String
    var duration: Int
    var fallback: String?
    var when: ScheduleSpec

    func input(now: Date, zone: TimeZone = TimeArgument.zone, priority: Int?) throws -> JSONValue {
        guard (10...21_600).contains(duration) else { throw APIFailure.usage("--duration is 10–21600 seconds (6 hours), not \(duration)") }
        if let priority, !(0...199).contains(priority) { throw APIFailure.usage("--priority must be 0–199 for a relay, not \(priority)") }
        guard case .object(var body) = try when.input(now: now, zone: zone) else { return .null }
        for key in ["bulletin", "areas", "gateways", "repeat"] { body[key] = nil }
        body["areaId"] = .string(area)
        body["title"] = .string(title)
        body["relayUrl"] = .string(url)
        body["durationSeconds"] = .number(Double(duration))
        if let priority { body["priority"] = .number(Double(priority)) }
        if let fallback { body["fallbackBulletin"] = .string(fallback) }
        return .object(body)
    }
}
