import ArgumentParser
import Foundation

/// When something recurs, as `schedule add` and `relays add` take it.
struct RecurrenceOptions: ParsableArguments {
    @Option(help: "Once, on this local date YYYY-MM-DD.") var once: String?
    @Flag(help: "Every day.") var daily = false
    @Option(help: "On these ISO weekdays, e.g. 1,3,5 (1 = Monday).") var weekly: String?
    @Option(name: .customLong("in"), help: "Once, this many seconds from now.") var inSeconds: Int?
    @Option(help: "Local start time HH:MM or HH:MM:SS.") var at: String?
    @Option(help: "First day YYYY-MM-DD (default today).") var from: String?
    @Option(help: "Last day YYYY-MM-DD, inclusive.") var until: String?

    func spec(bulletin: String, areas: [String]) -> ScheduleSpec {
        ScheduleSpec(bulletin: bulletin, areas: areas, once: once, daily: daily, weekly: weekly, inSeconds: inSeconds, at: at,
                     from: from, until: until)
    }
}

/// `loactl schedule add` options → the API's ScheduleInput, checked before anything is sent
/// (the server checks again; this catches typos with a message naming the option).
struct ScheduleSpec: Equatable, Sendable {
    var bulletin: String
    var areas: [String] = []
    var gateways: [String] = []
    var once: String?
    var daily = false
    var weekly: String?
    /// Seconds from now: a one-off at that local time (for demos and tests).
    var inSeconds: Int?
    var at: String?
    var from: String?
    var until: String?
    var priority: Int?
    var repeatCount: Int?
    var onBusy: String?
    var onInterrupt: String?

    func input(now: Date, zone: TimeZone = TimeArgument.zone) throws -> JSONValue {
        guard !areas.isEmpty || !gateways.isEmpty else { throw APIFailure.usage("name at least one --area or --gateway to schedule for") }
        var body: [String: JSONValue] = ["bulletin": .string(bulletin), "areas": .array(areas.map(JSONValue.string)),
                                         "gateways": .array(gateways.map(JSONValue.string))]
        let chosen = [once != nil, daily, weekly != nil, inSeconds != nil].filter { $0 }.count
        guard chosen == 1 else { throw APIFailure.usage("give exactly one of --once DATE, --daily, --weekly DAYS, --in SECONDS") }
        var time = at
        var firstDay = from
        if let inSeconds {
            guard at == nil else { throw APIFailure.usage("--in sets the time itself; leave out --at") }
            guard inSeconds >= 0 else { throw APIFailure.usage("--in takes seconds from now, not \(inSeconds)") }
            let local = TimeArgument.localDateAndTime(after: inSeconds, now: now, zone: zone)
            body["recurrence"] = "once"
            firstDay = local.date
            time = local.time
        } else if let once {
            guard from == nil else { throw APIFailure.usage("--once DATE is the day itself; leave out --from") }
            body["recurrence"] = "once"
            firstDay = try Self.date(once, "--once")
        } else if daily {
            body["recurrence"] = "daily"
        } else if let weekly {
            let days = weekly.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !days.isEmpty, days.allSatisfy({ $0.map((1...7).contains) ?? false }) else {
                throw APIFailure.usage("--weekly takes ISO weekdays 1–7 separated by commas (1 = Monday), e.g. 1,3,5; not '\(weekly)'")
            }
            body["recurrence"] = "weekly"
            body["days"] = .array(days.map { .number(Double($0!)) })
        }
        guard let time else { throw APIFailure.usage("give --at HH:MM[:SS] (local time, Asia/Ho_Chi_Minh)") }
        guard Self.isTime(time) else { throw APIFailure.usage("--at takes a local time HH:MM or HH:MM:SS, e.g. 06:30; not '\(time)'") }
        body["at"] = .string(time)
        body["from"] = .string(try firstDay.map { try Self.date($0, "--from") } ?? TimeArgument.localDateAndTime(after: 0, now: now, zone: zone).date)
        if let until {
            body["until"] = .string(try Self.date(until, "--until"))
        } else {
            body["until"] = .null
        }
        if let priority {
            guard (0...255).contains(priority) else { throw APIFailure.usage("--priority must be 0–255, not \(priority)") }
            body["priority"] = .number(Double(priority))
        }
        if let repeatCount {
            guard (1...10).contains(repeatCount) else { throw APIFailure.usage("--repeat must be 1–10, not \(repeatCount)") }
            body["repeat"] = .number(Double(repeatCount))
        }
        if let onBusy {
            guard ["preempt", "queue", "drop"].contains(onBusy) else { throw APIFailure.usage("--on-busy is preempt, queue or drop; not '\(onBusy)'") }
            body["onBusy"] = .string(onBusy)
        }
        if let onInterrupt {
            guard ["resume", "restart", "drop"].contains(onInterrupt) else {
                throw APIFailure.usage("--on-interrupt is resume, restart or drop; not '\(onInterrupt)'")
            }
            body["onInterrupt"] = .string(onInterrupt)
        }
        return .object(body)
    }

    static func date(_ text: String, _ option: String) throws -> String {
        guard TimeArgument.localMidnight(text, zone: TimeArgument.zone) != nil, text.count == 10 else {
            throw APIFailure.usage("\(option) takes a date YYYY-MM-DD, not '\(text)'")
        }
        return text
    }

    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && Int($0) != nil }) else { return false }
        let numbers = parts.map { Int($0)! }
        return numbers[0] < 24 && numbers[1] < 60 && (numbers.count == 2 || numbers[2] < 60)
    }
}
