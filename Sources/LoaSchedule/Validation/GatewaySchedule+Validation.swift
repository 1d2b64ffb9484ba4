#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GatewaySchedule {
    /// Every problem in the document, in entry order; empty when it can be sent.
    public func validate() -> [ScheduleValidationError] {
        let rules: ZoneRules
        do { rules = try Self.zoneRules(timeZone) } catch { return [error] }
        let resolver = LocalTimeResolver(rules: rules)
        var errors: [ScheduleValidationError] = []
        var seen: Set<String> = []
        for (index, entry) in entries.enumerated() {
            if entry.id.isEmpty { errors.append(.emptyEntryId(index: index)) }
            if !entry.id.isEmpty, !seen.insert(entry.id).inserted { errors.append(.duplicateEntryId(entry.id)) }
            errors += entry.problems(resolver: resolver, zoneName: timeZone)
        }
        return errors
    }
}

extension ScheduleEntry {
    func problems(resolver: LocalTimeResolver, zoneName: String) -> [ScheduleValidationError] {
        var errors = dateProblems()
        if !time.isValid { errors.append(.invalidTime(entry: id, time)) }
        switch recurrence {
        case .once(let date) where date.isValid && time.isValid:
            if !isValid(on: date) { errors.append(.onceOutsideValidity(entry: id, date: date)) }
            if case .nonexistent = resolver.resolve(date, time) {
                errors.append(.nonexistentLocalTime(entry: id, date: date, time: time, timeZone: zoneName))
            }
        case .weekly(let days) where days.isEmpty:
            errors.append(.emptyWeekdays(entry: id))
        default:
            break
        }
        if repeatCount < 1 { errors.append(.repeatCountNotPositive(entry: id, repeatCount)) }
        if !Self.offsetLimitMs.contains(offsetMs) { errors.append(.offsetOutOfRange(entry: id, offsetMs: offsetMs)) }
        if content.durationMs <= 0 { errors.append(.durationNotPositive(entry: id, durationMs: content.durationMs)) }
        if !content.hasWellFormedHash { errors.append(.badContentHash(entry: id, content.sha256)) }
        return errors
    }

    private func dateProblems() -> [ScheduleValidationError] {
        var errors: [ScheduleValidationError] = []
        if case .once(let date) = recurrence, !date.isValid { errors.append(.invalidDate(entry: id, field: "date", date)) }
        if let from = validFrom, !from.isValid { errors.append(.invalidDate(entry: id, field: "valid-from", from)) }
        if let to = validTo, !to.isValid { errors.append(.invalidDate(entry: id, field: "valid-to", to)) }
        for date in exceptDates where !date.isValid { errors.append(.invalidDate(entry: id, field: "except", date)) }
        if let from = validFrom, let to = validTo, to < from {
            errors.append(.validToBeforeValidFrom(entry: id, validFrom: from, validTo: to))
        }
        return errors
    }
}
