#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GatewaySchedule {
    /// Every play whose start lies in `interval` (start inclusive, end exclusive), sorted by
    /// start, then priority (higher first), then entry id, then repeat index.
    ///
    /// Works day by day over the local days the interval touches (never minute by minute), so a
    /// year of daily entries costs one time-zone lookup per entry and day. Local times that do
    /// not exist or exist twice are resolved as `LocalTimeResolver` documents. Entries are
    /// expanded as written; run `validate()` first to reject bad ones.
    public func occurrences(in interval: DateInterval) throws(ScheduleValidationError) -> [Occurrence] {
        let resolver = LocalTimeResolver(rules: try Self.zoneRules(timeZone))
        let firstDay = resolver.localDate(of: interval.start).daysSinceEpoch - 1
        let lastDay = resolver.localDate(of: interval.end).daysSinceEpoch + 1
        var result: [Occurrence] = []
        for entry in entries {
            result += entry.occurrences(days: firstDay...lastDay, in: interval, resolver: resolver)
        }
        return result.sorted(by: Occurrence.playOrder)
    }
}

extension GatewaySchedule {
    /// The zone's rules from its TZif file, read once per process. A name with no file in a
    /// zone database that is there is not a zone; a database missing, or a file that does not
    /// read, is named.
    static func zoneRules(_ name: String) throws(ScheduleValidationError) -> ZoneRules {
        do { return try ZoneRules.cached(name) } catch {
            switch error {
            case .badName: throw .unknownTimeZone(name)
            // No such file where the zone database is: a name that is not a zone.
            case .unreadable where FileManager.default.isReadableFile(atPath: ZoneRules.directory + "/UTC"): throw .unknownTimeZone(name)
            case .unreadable, .corrupt: throw .zoneFile(zone: name, error.description)
            }
        }
    }
}

extension Occurrence {
    static func playOrder(_ a: Occurrence, _ b: Occurrence) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.priority != b.priority { return a.priority > b.priority }
        if a.entryId != b.entryId { return a.entryId < b.entryId }
        return a.repeatIndex < b.repeatIndex
    }
}

extension ScheduleEntry {
    /// Plays of this entry whose start is in `interval`, looking at the local `days` given,
    /// widened backwards when the repeats of one day can run into the next.
    func occurrences(days: ClosedRange<Int>, in interval: DateInterval, resolver: LocalTimeResolver) -> [Occurrence] {
        guard repeatCount > 0, time.isValid else { return [] }
        let spanDays = Int((max(offsetMs, 0) + Int64(repeatCount) * max(content.durationMs, 0)) / 86_400_000)
        var lower = days.lowerBound - spanDays
        var upper = days.upperBound
        if let from = validFrom { lower = max(lower, from.daysSinceEpoch) }
        if let to = validTo { upper = min(upper, to.daysSinceEpoch) }
        if case .once(let date) = recurrence {
            lower = max(lower, date.daysSinceEpoch)
            upper = min(upper, date.daysSinceEpoch)
        }
        guard lower <= upper else { return [] }
        var result: [Occurrence] = []
        for day in lower...upper {
            let date = LocalDate(daysSinceEpoch: day)
            guard recurrence.plays(on: date), !exceptDates.contains(date) else { continue }
            result += plays(from: resolver.resolve(date, time).instant, in: interval)
        }
        return result
    }

    private func plays(from base: Date, in interval: DateInterval) -> [Occurrence] {
        (0..<repeatCount).compactMap { index in
            let start = base.addingTimeInterval(TimeInterval(offsetMs + Int64(index) * content.durationMs) / 1000)
            guard start >= interval.start, start < interval.end else { return nil }
            return Occurrence(
                entryId: id, start: start, durationMs: content.durationMs, repeatIndex: index,
                content: content, priority: priority, onBusy: onBusy, onInterrupt: onInterrupt, lateToleranceMs: lateToleranceMs)
        }
    }
}
