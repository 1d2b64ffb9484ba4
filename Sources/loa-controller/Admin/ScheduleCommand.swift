import Foundation
import ArgumentParser
import LoaController
import LoaSchedule

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Schedule rules.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule a bulletin for areas and/or gateways.")
        @OptionGroup var state: StateOptions
        @Option(help: "SHA-256 of the bulletin.") var bulletin: String
        @Option(help: "Target area (with everything below it); repeatable.") var area: [String] = []
        @Option(help: "Target gateway; repeatable.") var gateway: [String] = []
        @Flag(help: "Every day.") var daily = false
        @Option(help: "Once, on YYYY-MM-DD.") var once: String?
        @Option(help: "On ISO weekdays, e.g. 1,3,5 (1 = Monday).") var weekly: String?
        @Option(help: "Local time, HH:MM or HH:MM:SS.") var at: String
        @Option(help: "First day (YYYY-MM-DD) for daily/weekly; default today.") var from: String?
        @Option(help: "Last day (YYYY-MM-DD), inclusive.") var until: String?
        @Option(help: "Priority 0–255 (scheduled band 50–99).") var priority: UInt8 = ScheduleRule.defaultPriority
        @Option(name: .customLong("repeat"), help: "Plays back to back per occurrence.") var repeatCount = 1

        func run() async throws {
            let recurrence: ScheduleRule.Recurrence
            var start: LocalDate?
            switch (daily, once, weekly) {
            case (true, nil, nil): recurrence = .daily
            case (false, let day?, nil):
                recurrence = .once
                start = try date(day, "--once")
            case (false, nil, let days?):
                let numbers = days.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !numbers.isEmpty, numbers.allSatisfy((1...7).contains) else {
                    throw ValidationError("--weekly takes ISO weekdays 1–7 separated by commas, e.g. 1,3,5")
                }
                recurrence = .weekly(Set(numbers))
            default: throw ValidationError("give exactly one of --daily, --once DATE, --weekly DAYS")
            }
            guard let time = TimeOfDay(parsing: at) else {
                throw ValidationError("--at takes HH:MM or HH:MM:SS (00:00 to 23:59:59), e.g. 06:30, not '\(at)'")
            }
            let (configuration, opened, _) = try await state.open()
            if start == nil {
                // Today where the schedules play: bulletins.time_zone, not this machine's zone.
                start = try from.map { try date($0, "--from") } ?? LocalDate.today(in: configuration.bulletins.timeZone)
            }
            guard let validFrom = start else {
                throw ValidationError("bulletins.time_zone '\(configuration.bulletins.timeZone)' is not a time zone; give --from")
            }
            let rule = ScheduleRule(bulletinSHA256: bulletin, target: BroadcastTarget(areaIDs: area, gatewayIDs: gateway),
                                    recurrence: recurrence, timeOfDay: time, validFrom: validFrom,
                                    validTo: try until.map { try date($0, "--until") }, priority: priority, repeatCount: repeatCount)
            let entry = try await opened.database.createScheduleEntry(rule, origin: state.origin)
            print("schedule entry \(entry.id) added")
        }

        private func date(_ text: String, _ option: String) throws -> LocalDate {
            guard let date = LocalDate(text), date.isValid else { throw ValidationError("\(option) takes a date YYYY-MM-DD, not '\(text)'") }
            return date
        }
    }
}
