import Foundation
import LoaSchedule

extension PeriodReport {
    /// Local days `from` through `to` (inclusive) in `timeZone`, and the instants they span.
    public struct Period: Sendable, Equatable {
        public var from: LocalDate
        public var to: LocalDate
        public var timeZone: TimeZone
        public var interval: DateInterval

        /// Nil when the zone is unknown or `to` is before `from`.
        public init?(from: LocalDate, to: LocalDate, timeZone name: String) {
            guard let zone = TimeZone(identifier: name), from <= to,
                  let start = Self.midnight(from, zone), let end = Self.midnight(to.adding(days: 1), zone) else { return nil }
            self.from = from
            self.to = to
            self.timeZone = zone
            self.interval = DateInterval(start: start, end: end)
        }

        static func midnight(_ day: LocalDate, _ zone: TimeZone) -> Date? {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        }

        func day(of date: Date) -> LocalDate {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        }
    }

    /// Where an as-played item came from, read from its id and the facts.
    struct Attribution: Equatable {
        var sentClass: Dispatch.Class?
        var origin: Origin
        /// The program occurrence it belonged to.
        var program: Int64?
        var date: LocalDate?
    }

    /// A technician's check (`test-tone-…`), not a broadcast.
    static func isCheck(_ itemID: String) -> Bool { itemID.hasPrefix("test-tone-") }

    static func attribute(_ life: ReportFacts.Life, _ facts: ReportFacts, _ period: Period) -> Attribution {
        let id = life.itemID
        if let target = ProgramCompiler.dispatchTarget(fromItemID: id) {
            guard let sent = facts.dispatchTargets[target] else { return Attribution(origin: .own) }
            return Attribution(sentClass: sent.dispatchClass, origin: sent.origin, program: sent.programID, date: sent.date)
        }
        if let place = ProgramCompiler.place(fromItemID: id) {
            return Attribution(origin: .own, program: place.program, date: occurrenceDay(id, life.firstAt, period))
        }
        if id.hasPrefix("announcement-"), let number = Int64(id.dropFirst(13).prefix { $0.isNumber }), let sent = facts.announcements[number] {
            return Attribution(sentClass: sent.dispatchClass, origin: sent.origin)
        }
        if id.hasPrefix("live-"), let number = Int64(id.dropFirst(5).prefix { $0.isNumber }), facts.relayStreams.contains(number) {
            return Attribution(origin: .relay)
        }
        return Attribution(origin: .own)
    }

    /// A program item's day: `…:YYYYMMDD` when the id names it, else the day of the
    /// occurrence's start (`…@<epoch seconds>`), else the day it first sounded.
    static func occurrenceDay(_ itemID: String, _ firstAt: Date, _ period: Period) -> LocalDate {
        if let colon = itemID.firstIndex(of: ":") {
            let digits = itemID[itemID.index(after: colon)...].prefix { $0.isNumber }
            if digits.count == 8, let n = Int(digits) {
                let day = LocalDate(year: n / 10_000, month: n / 100 % 100, day: n % 100)
                if day.isValid { return day }
            }
        }
        if let at = itemID.firstIndex(of: "@"), let seconds = Double(itemID[itemID.index(after: at)...].prefix { $0.isNumber }) {
            return period.day(of: Date(timeIntervalSince1970: seconds))
        }
        return period.day(of: firstAt)
    }

    public static func build(area: Area, communes: [Area], gateways: [Gateway], programs: [PlannedProgram], facts: ReportFacts,
                             period: Period, connected: Set<String>, now: Date) -> PeriodReport {
        let communeOf = Dictionary(gateways.map { ($0.id, $0.areaID) }, uniquingKeysWith: { first, _ in first })
        // A technician's test tone is in the as-played record, not a broadcast.
        let lives = facts.lives.filter { communeOf[$0.gatewayID] != nil && period.interval.contains($0.firstAt) && !isCheck($0.itemID) }
        var rows: [String: Commune] = [:]
        for commune in communes { rows[commune.id] = Commune(areaId: commune.id, name: commune.name) }

        // Broadcasts: one per (commune, item), as long as the most any of its gateways sounded.
        var broadcasts: [String: [String: (ms: Int, attribution: Attribution)]] = [:]
        var plays: [String: Tally] = [:]
        var missed: [String: Int] = [:]
        for life in lives {
            guard let commune = communeOf[life.gatewayID] else { continue }
            if life.started {
                plays[life.gatewayID, default: Tally()].add(life.soundedMs)
                let previous = broadcasts[commune]?[life.itemID]
                if previous == nil || previous!.ms < life.soundedMs {
                    broadcasts[commune, default: [:]][life.itemID] = (life.soundedMs, previous?.attribution ?? attribute(life, facts, period))
                }
            } else if life.missed {
                missed[life.gatewayID, default: 0] += 1
            }
        }
        for (commune, items) in broadcasts where rows[commune] != nil {
            var ran: Set<String> = []
            for (_, item) in items {
                rows[commune]!.broadcasts.add(item.ms)
                rows[commune]!.byClass[item.attribution.sentClass].add(item.ms)
                rows[commune]!.byOrigin[item.attribution.origin].add(item.ms)
                if let program = item.attribution.program, let date = item.attribution.date { ran.insert("\(program) \(date)") }
            }
            for program in programs where program.communeIDs.contains(commune) {
                rows[commune]!.programs.run += program.dates.filter { ran.contains("\(program.id) \($0)") }.count
            }
        }
        for program in programs {
            for commune in program.communeIDs where rows[commune] != nil { rows[commune]!.programs.planned += program.dates.count }
        }

        // Gateways: plays, time online and time up within the part of the period that has passed.
        let presence = Dictionary(grouping: facts.presence, by: \.gatewayID)
        let uptimes = Dictionary(grouping: facts.uptimes, by: \.gatewayID)
        for gateway in gateways.sorted(by: { $0.id < $1.id }) where rows[gateway.areaID] != nil {
            // Never end before its start (DateInterval traps): a gateway created "after" now, as
            // after a system clock stepped back, has an empty window.
            let windowStart = max(period.interval.start, min(gateway.createdAt, period.interval.end))
            let window = DateInterval(start: windowStart, end: max(windowStart, min(period.interval.end, now)))
            let online = (presence[gateway.id] ?? []).map { span in
                DateInterval(start: span.from, end: max(span.from, span.open && connected.contains(gateway.id) ? max(span.to, now) : span.to))
            }
            let running = (uptimes[gateway.id] ?? []).map { sample in
                DateInterval(start: sample.at.addingTimeInterval(-Double(max(0, sample.serviceUptimeSeconds))), end: sample.at)
            }
            let row = GatewayRow(id: gateway.id, name: gateway.name, plays: plays[gateway.id] ?? Tally(), missed: missed[gateway.id] ?? 0,
                                 onlineSeconds: Self.covered(online, within: window), uptimeSeconds: Self.covered(online + running, within: window),
                                 observedSeconds: Int64(window.duration))
            rows[gateway.areaID]!.gateways.append(row)
            rows[gateway.areaID]!.plays = rows[gateway.areaID]!.plays + row.plays
            rows[gateway.areaID]!.missed += row.missed
        }

        let ordered = communes.compactMap { rows[$0.id] }
        var totals = Totals(communes: ordered.count)
        for row in ordered {
            totals.gateways += row.gateways.count
            totals.broadcasts = totals.broadcasts + row.broadcasts
            totals.byClass = totals.byClass + row.byClass
            totals.byOrigin = totals.byOrigin + row.byOrigin
            totals.programs = totals.programs + row.programs
            totals.plays = totals.plays + row.plays
            totals.missed += row.missed
            for gateway in row.gateways {
                totals.onlineSeconds += gateway.onlineSeconds
                totals.uptimeSeconds += gateway.uptimeSeconds
                totals.observedSeconds += gateway.observedSeconds
            }
        }
        return PeriodReport(area: AreaRef(id: area.id, name: area.name, kind: area.kind.rawValue), from: period.from.description,
                            to: period.to.description, timeZone: period.timeZone.identifier, generatedAt: APIJSON.time(now),
                            communes: ordered, totals: totals)
    }

    /// Whole seconds of `window` that the spans cover (overlaps counted once).
    static func covered(_ spans: [DateInterval], within window: DateInterval) -> Int64 {
        let clipped = spans.compactMap { span -> (Date, Date)? in
            let start = max(span.start, window.start), end = min(span.end, window.end)
            return start < end ? (start, end) : nil
        }.sorted { $0.0 < $1.0 }
        var total: TimeInterval = 0
        var current: (Date, Date)?
        for span in clipped {
            if let open = current, span.0 <= open.1 {
                current = (open.0, max(open.1, span.1))
            } else {
                if let open = current { total += open.1.timeIntervalSince(open.0) }
                current = span
            }
        }
        if let open = current { total += open.1.timeIntervalSince(open.0) }
        return Int64(total)
    }

    /// The days in `period` a program is due: its recurrence expanded in the period's zone.
    public static func dueDays(_ program: Program, in period: Period) -> Set<LocalDate> {
        let entry = LoaSchedule.ScheduleEntry(
            id: "p", content: Content(sha256: String(repeating: "0", count: 64), durationMs: 1, title: ""),
            recurrence: program.recurrence.document(once: program.validFrom), time: program.timeOfDay.localTime,
            validFrom: program.validFrom, validTo: program.validTo)
        let schedule = GatewaySchedule(version: 0, timeZone: period.timeZone.identifier, entries: [entry])
        let plays = (try? schedule.occurrences(in: period.interval)) ?? []
        return Set(plays.map { period.day(of: $0.start) })
    }
}
