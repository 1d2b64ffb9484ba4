import ArgumentParser
import Foundation

/// `loactl schedule …`: schedule entries and a preview of what plays where.
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Schedules: add, list, preview what plays where, remove.",
        subcommands: [List.self, Add.self, Preview.self, Remove.self], defaultSubcommand: List.self)

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "Schedule entries in scope.")
        @OptionGroup var api: APIOptions
        @Option(help: "Only entries reaching this area.") var area: String?
        @Option(help: "Only entries reaching this gateway.") var gateway: String?
        func run(_ client: APIClient) async throws {
            api.output(list: try await client.list(APIRoutes.schedules(area: area, gateway: gateway), limit: 0, all: true), APITables.schedules)
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule a bulletin for areas and/or gateways, at a local time (Asia/Ho_Chi_Minh).",
            discussion: """
                Examples:
                  loactl schedule add --bulletin 3f2a… --area xa-tan-lap --daily --at 06:30
                  loactl schedule add --bulletin 3f2a… --gateway xa-tan-lap-01 --once 2026-12-01 --at 17:00:00
                  loactl schedule add --bulletin 3f2a… --area xa-tan-lap --weekly 1,3,5 --at 18:00 --until 2027-01-31
                  loactl schedule add --bulletin 3f2a… --area xa-tan-lap --in 25      # once, 25 s from now
                """)
        @OptionGroup var api: APIOptions
        @Option(help: "SHA-256 of the bulletin (or a unique prefix).") var bulletin: String
        @Option(help: "Target area (and everything below it); repeatable.") var area: [String] = []
        @Option(help: "Target gateway; repeatable.") var gateway: [String] = []
        @OptionGroup var when: RecurrenceOptions
        @Option(help: "Priority 0–255 (default 60; scheduled band 50–99).") var priority: Int?
        @Option(name: .customLong("repeat"), help: "Plays back to back per occurrence, 1–10.") var repeatCount: Int?
        @Option(help: "When something else plays: preempt, queue or drop.") var onBusy: String?
        @Option(help: "When interrupted: resume, restart or drop.") var onInterrupt: String?

        func run(_ client: APIClient) async throws {
            var spec = when.spec(bulletin: try await resolveBulletin(bulletin, client), areas: area)
            spec.gateways = gateway
            spec.priority = priority
            spec.repeatCount = repeatCount
            spec.onBusy = onBusy
            spec.onInterrupt = onInterrupt
            let entry = try await client.json(APIRoutes.addSchedule(try spec.input(now: Date())))
            api.output(entry, APITables.schedule)
        }
    }

    struct Preview: APICommand {
        static let configuration = CommandConfiguration(abstract: "What plays where between two times (at most 31 days).")
        @OptionGroup var api: APIOptions
        @Option(help: "Start: RFC 3339, YYYY-MM-DD, now, or +2h/-1d (default now).") var from = "now"
        @Option(help: "End: same forms (default 24 h after the start).") var to: String?
        @Option(help: "Only this area.") var area: String?
        @Option(help: "Only this gateway.") var gateway: String?
        func run(_ client: APIClient) async throws {
            let now = Date()
            let start = try TimeArgument.parse(from, now: now)
            let end = try to.map { try TimeArgument.parse($0, now: now) } ?? start.addingTimeInterval(86400)
            let answer = try await client.json(try APIRoutes.preview(from: start, to: end, area: area, gateway: gateway))
            api.output(list: answer.items, APITables.preview)
        }
    }

    struct Remove: APICommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a schedule entry.")
        @OptionGroup var api: APIOptions
        @Argument(help: "Schedule entry id.") var id: String
        func run(_ client: APIClient) async throws {
            _ = try await client.send(APIRoutes.removeSchedule(id))
            if !api.json { print("schedule \(id) removed") }
        }
    }
}
