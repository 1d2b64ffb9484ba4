import Foundation
import Hummingbird
import LoaSchedule

/// `GET /api/v1/reports/period`: what an area's communes broadcast in a period and how their
/// gateways kept (`PeriodReport`), as JSON or CSV (one row a commune, or with
/// `rows=gateways` one a gateway). The period is `month=YYYY-MM`, or `from` and `to` (local
/// days, inclusive, at most 366), or the current month.
extension APIHandlers {
    static let reportDaysLimit = 366

    func periodReport(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        guard let areaID = try await areaFilter(request, caller) ?? caller.user.areaID else {
            throw APIError.validation("'area' is required: the province, district or commune to report on")
        }
        let rows = try query(request, "rows") ?? "communes"
        guard rows == "communes" || rows == "gateways" else {
            throw APIError.validation("'rows' must be communes or gateways, not '\(Identifier.escaped(rows))'")
        }
        let csv = try wantsCSV(request)
        let period = try reportPeriod(request)
        let report = try await buildReport(areaID: areaID, period: period)
        guard csv else { return try APIResponse.json(report) }
        let text = rows == "gateways" ? report.gatewayCSV() : report.communeCSV()
        return csvResponse(text, filename: "report-\(areaID)-\(report.from)-\(report.to)\(rows == "gateways" ? "-gateways" : "").csv", next: nil)
    }

    func buildReport(areaID: String, period: PeriodReport.Period) async throws -> PeriodReport {
        let area = try await store.area(areaID)
        let subtree = try await store.subtree(of: areaID)
        let communes = subtree.filter { $0.kind == .commune }.sorted { $0.id < $1.id }
        let gateways = try await store.gateways(inSubtreeOf: areaID).filter { gateway in communes.contains { $0.id == gateway.areaID } }
        // A program reaches the communes at or below its area.
        var planned: [PeriodReport.PlannedProgram] = []
        let communeIDs = Set(communes.map(\.id))
        for program in try await store.allPrograms() {
            let reached = Set(try await store.subtree(of: program.areaID).map(\.id)).intersection(communeIDs)
            guard !reached.isEmpty else { continue }
            planned.append(PeriodReport.PlannedProgram(id: program.id, communeIDs: reached, dates: PeriodReport.dueDays(program, in: period)))
        }
        let facts = try await store.reportFacts(gatewayIDs: gateways.map(\.id), in: period.interval)
        let connected = Set(gateways.map(\.id).filter { services.fleet.isOnline($0) })
        return PeriodReport.build(area: area, communes: communes, gateways: gateways, programs: planned, facts: facts,
                                  period: period, connected: connected, now: services.now())
    }

    /// `month`, or `from` and `to`, or this month; in the deployment's zone.
    private func reportPeriod(_ request: Request) throws -> PeriodReport.Period {
        let zone = services.settings.timeZone
        let month = try query(request, "month"), fromText = try query(request, "from"), toText = try query(request, "to")
        var from: LocalDate, to: LocalDate
        if let month {
            guard fromText == nil, toText == nil else { throw APIError.validation("give 'month' or 'from' and 'to', not both") }
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let number = Int(parts[1]),
                  let first = LocalDate("\(parts[0])-\(parts[1])-01"), first.isValid, (1...12).contains(number) else {
                throw APIError.validation("'month' must be YYYY-MM, not '\(Identifier.escaped(month))'")
            }
            from = first
            to = LocalDate(year: number == 12 ? year + 1 : year, month: number == 12 ? 1 : number + 1, day: 1).adding(days: -1)
        } else if fromText != nil || toText != nil {
            guard let fromText, let toText else { throw APIError.validation("'from' and 'to' go together (local days, YYYY-MM-DD)") }
            from = try Self.day(fromText, "from")
            to = try Self.day(toText, "to")
            guard from <= to else { throw APIError.validation("'to' (\(to)) is before 'from' (\(from))") }
            guard to.daysSinceEpoch - from.daysSinceEpoch < Self.reportDaysLimit else {
                throw APIError.validation("a report covers at most \(Self.reportDaysLimit) days; ask for shorter periods")
            }
        } else {
            guard let today = LocalDate.today(in: zone, now: services.now()) else { throw APIError.validation("unknown time zone '\(zone)'") }
            from = LocalDate(year: today.year, month: today.month, day: 1)
            to = today
        }
        guard let period = PeriodReport.Period(from: from, to: to, timeZone: zone) else {
            throw APIError.validation("no period from \(from) to \(to) in time zone '\(zone)'")
        }
        return period
    }

    private static func day(_ text: String, _ name: String) throws -> LocalDate {
        guard let day = LocalDate(text), day.isValid else {
            throw APIError.validation("'\(name)' must be a local day YYYY-MM-DD, not '\(Identifier.escaped(text))'")
        }
        return day
    }
}
