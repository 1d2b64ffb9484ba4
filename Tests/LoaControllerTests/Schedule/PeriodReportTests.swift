import Foundation
import LoaSchedule
import Testing
@testable import LoaController

/// `PeriodReport.build` without a store: attribution by item id, one broadcast per commune and
/// item, connected spans that are still open, uptime counted back from reports, overlaps once.
@Suite struct PeriodReportTests {
    static let period = PeriodReport.Period(from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 11, day: 2),
                                            timeZone: "Asia/Ho_Chi_Minh")!
    static let start = period.interval.start
    static let communes = [Area(id: "xa-a", name: "Xã A", kind: .commune, parentID: "p"), Area(id: "xa-b", name: "Xã B", kind: .commune, parentID: "p")]
    static let gateways = [Gateway(id: "a-1", name: "A 1", areaID: "xa-a", createdAt: .distantPast),
                           Gateway(id: "a-2", name: "A 2", areaID: "xa-a", createdAt: .distantPast),
                           Gateway(id: "b-1", name: "B 1", areaID: "xa-b", createdAt: start.addingTimeInterval(86_400))]

    static func life(_ gateway: String, _ item: String, _ offset: TimeInterval, _ ms: Int, started: Bool = true) -> ReportFacts.Life {
        ReportFacts.Life(gatewayID: gateway, itemID: item, firstAt: start.addingTimeInterval(offset), soundedMs: ms, started: started, missed: !started)
    }

    static func build(_ facts: ReportFacts, programs: [PeriodReport.PlannedProgram] = [], connected: Set<String> = [],
                      now: Date = start.addingTimeInterval(3 * 86_400)) -> PeriodReport {
        PeriodReport.build(area: Area(id: "p", name: "P", kind: .province), communes: communes, gateways: gateways, programs: programs,
                           facts: facts, period: period, connected: connected, now: now)
    }

    @Test func itemsAreAttributedByTheirIDsAndCountedOncePerCommune() {
        let facts = ReportFacts(
            lives: [Self.life("a-1", "dispatch-4@1#0", 60, 2_000), Self.life("a-2", "dispatch-4@1#0", 60, 1_500),
                    Self.life("a-1", "announcement-9", 120, 3_000), Self.life("a-1", "announcement-10", 180, 1_000),
                    Self.life("a-2", "live-3", 240, 60_000), Self.life("a-2", "live-5", 300, 30_000),
                    Self.life("b-1", "program-2.1@\(Int(Self.start.timeIntervalSince1970) + 3_600)#0", 3_600, 4_000),
                    Self.life("b-1", "rule-1@1#0", 400, 0, started: false), Self.life("a-1", "rule-1@2#0", -10, 5_000),
                    Self.life("a-1", "test-tone-1796079600000-1", 500, 1_000)],
            dispatchTargets: [4: .init(dispatchClass: .priority, origin: .centre, programID: 2, date: LocalDate(year: 2026, month: 11, day: 2))],
            announcements: [9: .init(dispatchClass: .emergency, origin: .province)], relayStreams: [3])
        let days: Set<LocalDate> = [LocalDate(year: 2026, month: 11, day: 1), LocalDate(year: 2026, month: 11, day: 2)]
        let program = PeriodReport.PlannedProgram(id: 2, communeIDs: ["xa-a", "xa-b"], dates: days)
        let report = Self.build(facts, programs: [program])
        let a = report.communes[0], b = report.communes[1]
        #expect(a.broadcasts.count == 5, "dispatch-4 once for two gateways; the rule before the period and the test tone not at all")
        #expect(a.broadcasts.milliseconds == 2_000 + 3_000 + 1_000 + 60_000 + 30_000, "the longest sounding of each")
        #expect(a.plays.count == 6 && a.plays.milliseconds == 2_000 + 1_500 + 3_000 + 1_000 + 60_000 + 30_000)
        #expect(a.byClass.priority.count == 1 && a.byClass.emergency.count == 1 && a.byClass.own.count == 3 && a.byClass.normal.count == 0)
        #expect(a.byOrigin.centre.count == 1 && a.byOrigin.province.count == 1 && a.byOrigin.relay.count == 1 && a.byOrigin.own.count == 2)
        #expect(a.programs == PeriodReport.Programs(planned: 2, run: 1), "the placed bulletin ran its occurrence of the 2nd")
        #expect(b.programs == PeriodReport.Programs(planned: 2, run: 1), "the program item's occurrence is the 1st, from its id")
        #expect(b.missed == 1 && b.plays.count == 1)
        #expect(report.totals.broadcasts.count == 6 && report.totals.missed == 1 && report.totals.gateways == 3)
    }

    @Test func onlineAndUptimeAreUnionsWithinWhatWasObserved() {
        let hour: TimeInterval = 3_600
        let facts = ReportFacts(
            presence: [.init(gatewayID: "a-1", from: Self.start.addingTimeInterval(-hour), to: Self.start.addingTimeInterval(2 * hour), open: false),
                       .init(gatewayID: "a-1", from: Self.start.addingTimeInterval(hour), to: Self.start.addingTimeInterval(3 * hour), open: false),
                       .init(gatewayID: "a-2", from: Self.start.addingTimeInterval(10 * hour), to: Self.start.addingTimeInterval(10 * hour), open: true),
                       .init(gatewayID: "b-1", from: Self.start.addingTimeInterval(30 * hour), to: Self.start.addingTimeInterval(31 * hour), open: true)],
            uptimes: [.init(gatewayID: "a-1", at: Self.start.addingTimeInterval(6 * hour), serviceUptimeSeconds: 2 * 3_600),
                      .init(gatewayID: "a-2", at: Self.start.addingTimeInterval(12 * hour), serviceUptimeSeconds: 100 * 3_600)])
        let now = Self.start.addingTimeInterval(36 * hour)
        let report = Self.build(facts, connected: ["a-2"], now: now)
        var rows: [String: PeriodReport.GatewayRow] = [:]
        for row in report.communes.flatMap({ $0.gateways }) { rows[row.id] = row }
        #expect(rows["a-1"]?.onlineSeconds == Int64(3 * hour), "overlaps once, before the period not at all")
        #expect(rows["a-1"]?.uptimeSeconds == Int64(5 * hour), "online 0-3 h, running 4-6 h by its report")
        #expect(rows["a-1"]?.observedSeconds == Int64(36 * hour), "up to now, not to the period's end")
        #expect(rows["a-2"]?.onlineSeconds == Int64(26 * hour), "an open span of a connected gateway runs to now")
        #expect(rows["a-2"]?.uptimeSeconds == Int64(36 * hour))
        #expect(rows["b-1"]?.onlineSeconds == Int64(hour), "an open span of a gateway not connected ends at its last report")
        #expect(rows["b-1"]?.observedSeconds == Int64(12 * hour), "from its creation on")
    }

    @Test func aProgramItemsDayComesFromItsID() {
        let p = Self.period
        #expect(PeriodReport.occurrenceDay("program-3.2:20261102@1#0", Self.start, p) == LocalDate(year: 2026, month: 11, day: 2))
        #expect(PeriodReport.occurrenceDay("program-3.2@\(Int(Self.start.timeIntervalSince1970) + 90_000)#0", Self.start, p)
                == LocalDate(year: 2026, month: 11, day: 2))
        #expect(PeriodReport.occurrenceDay("program-3.2", Self.start.addingTimeInterval(60), p) == LocalDate(year: 2026, month: 11, day: 1))
        #expect(PeriodReport.Period(from: LocalDate(year: 2026, month: 11, day: 2), to: LocalDate(year: 2026, month: 11, day: 1), timeZone: "UTC") == nil)
        #expect(PeriodReport.Period(from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 11, day: 1), timeZone: "Mars/Base") == nil)
    }

    @Test func csvHasARowPerCommuneAndATotal() {
        let report = Self.build(ReportFacts(lives: [Self.life("a-1", "rule-1@1#0", 60, 2_500)]))
        let lines = report.communeCSV().split(separator: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("xa-a,Xã A,2026-11-01,2026-11-02,1,2,1,2,"))
        #expect(lines[3].hasPrefix("total,P,"))
        #expect(report.gatewayCSV().split(separator: "\r\n").count == 4)
    }
}
