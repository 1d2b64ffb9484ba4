import LoaSchedule

/// Turning a ScheduleInput into the store's rule, refusing what cannot be meant: a time or a
/// date that does not exist, a range ending before it starts, weekdays outside 1–7. Pure.
extension ScheduleInput {
    func rule() throws(APIError) -> ScheduleRule {
        let time = try Self.timeOfDay(at)
        let start = try Self.date(from, field: "from")
        let end = try until.map { (text) throws(APIError) in try Self.date(text, field: "until") }
        if let end, end < start { throw .validation("'until' (\(end)) is before 'from' (\(start)); the schedule would never play") }
        let recurrence = try Self.recurrence(self.recurrence, days: days, start: start, end: end)
        let priority = self.priority ?? Int(ScheduleRule.defaultPriority)
        guard (0...255).contains(priority) else {
            throw .validation("'priority' must be 0–255 (scheduled bulletins use \(Priority.Band.scheduled.range))")
        }
        let repeatCount = self.repeat ?? 1
        let repeats = LoaSchedule.ScheduleEntry.repeatCountLimit
        guard repeats.contains(repeatCount) else { throw .validation("'repeat' must be \(repeats.lowerBound)–\(repeats.upperBound)") }
        let (onBusy, onInterrupt) = try Self.policies(self.onBusy, self.onInterrupt)
        let target = BroadcastTarget(areaIDs: areas ?? [], gatewayIDs: gateways ?? [])
        guard !target.isEmpty else { throw .validation("give at least one target in 'areas' or 'gateways'") }
        guard Bulletin.isValidSHA256(bulletin) else {
            throw .validation("'bulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
        }
        return ScheduleRule(bulletinSHA256: bulletin, target: target, recurrence: recurrence, timeOfDay: time,
                            validFrom: start, validTo: end, priority: UInt8(priority), repeatCount: repeatCount,
                            onBusy: onBusy, onInterrupt: onInterrupt)
    }

    /// `once` (on `start`; `end` absent or equal), `daily`, or `weekly` with ISO `days`.
    static func recurrence(_ name: String, days: [Int]?, start: LocalDate, end: LocalDate?) throws(APIError) -> ScheduleRule.Recurrence {
        let recurrence: ScheduleRule.Recurrence
        switch name {
        case "once":
            guard days?.isEmpty ?? true else { throw .validation("'days' is only for weekly schedules") }
            if let end, end != start { throw .validation("a once schedule plays on 'from'; leave 'until' out or equal to it") }
            recurrence = .once
        case "daily":
            guard days?.isEmpty ?? true else { throw .validation("'days' is only for weekly schedules") }
            recurrence = .daily
        case "weekly":
            guard let days, !days.isEmpty else { throw .validation("a weekly schedule needs 'days', ISO weekdays 1 (Monday) to 7 (Sunday)") }
            guard days.allSatisfy((1...7).contains) else {
                throw .validation("'days' are ISO weekdays 1 (Monday) to 7 (Sunday); \(days.filter { !(1...7).contains($0) }) is not")
            }
            recurrence = .weekly(Set(days))
        default:
            throw .validation("'recurrence' must be once, daily or weekly, not '\(name)'")
        }
        return recurrence
    }

    /// `onBusy` (default queue) and `onInterrupt` (default resume).
    static func policies(_ onBusy: String?, _ onInterrupt: String?) throws(APIError) -> (BusyPolicy, InterruptPolicy) {
        guard let busy = BusyPolicy(rawValue: onBusy ?? "queue") else { throw .validation("'onBusy' must be preempt, queue or drop") }
        guard let interrupt = InterruptPolicy(rawValue: onInterrupt ?? "resume") else {
            throw .validation("'onInterrupt' must be resume, restart or drop")
        }
        return (busy, interrupt)
    }

    /// `HH:MM` or `HH:MM:SS`, two digits each, a time that exists on a 24-hour clock.
    static func timeOfDay(_ text: String) throws(APIError) -> TimeOfDay {
        guard let time = TimeOfDay(parsing: text) else {
            throw .validation("'at' must be HH:MM or HH:MM:SS (00:00 to 23:59:59), e.g. 06:30, not '\(text)'")
        }
        return time
    }

    /// `YYYY-MM-DD`, a real day of the calendar.
    static func date(_ text: String, field: String) throws(APIError) -> LocalDate {
        guard text.count == 10, let date = LocalDate(text), text == date.description else {
            throw .validation("'\(field)' must be a date YYYY-MM-DD, not '\(text)'")
        }
        guard date.isValid else { throw .validation("'\(field)' \(text) is not a day of the calendar") }
        return date
    }
}
