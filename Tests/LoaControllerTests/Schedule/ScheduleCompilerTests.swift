import Foundation
import LoaSchedule
import Testing
@testable import LoaController

@Suite struct ScheduleCompilerTests {
    static let start = LocalDate(year: 2026, month: 12, day: 1)

    func rule(_ n: Int, areas: [String] = [], gateways: [String] = [], at hour: Int = 6,
              recurrence: ScheduleRule.Recurrence = .daily) -> ScheduleRule {
        ScheduleRule(bulletinSHA256: StoreFixture.hash(n), target: BroadcastTarget(areaIDs: areas, gatewayIDs: gateways),
                     recurrence: recurrence, timeOfDay: TimeOfDay(hour: hour, minute: 30), validFrom: Self.start)
    }

    func compile(_ fixture: StoreFixture, _ gatewayID: String) async throws -> GatewaySchedule {
        try await GatewayScheduleSource(store: fixture.store).schedule(for: gatewayID)
    }

    @Test func onlyApprovedBulletinsAimedAtTheGatewayOrAboveIt() async throws {
        let fixture = try await StoreFixture.seeded()
        _ = try await fixture.approvedBulletin(1)
        _ = try await fixture.bulletin(2) // draft
        _ = try await fixture.approvedBulletin(3)
        _ = try await fixture.approvedBulletin(4)
        let commune = try await fixture.store.createScheduleEntry(rule(1, areas: ["xa-tan-lap"]), origin: fixture.admin)
        _ = try await fixture.store.createScheduleEntry(rule(2, areas: ["ha-tinh"]), origin: fixture.admin)
        _ = try await fixture.store.createScheduleEntry(rule(3, gateways: ["xa-ky-phong-01"], recurrence: .once), origin: fixture.admin)
        let province = try await fixture.store.createScheduleEntry(rule(4, areas: ["ha-tinh"], at: 17, recurrence: .weekly([1, 3, 5])),
                                                                   origin: fixture.admin)

        let tanLap = try await compile(fixture, "xa-tan-lap-01")
        #expect(tanLap.version == UInt64(try await fixture.store.gateway("xa-tan-lap-01").scheduleVersion))
        #expect(tanLap.entries.map(\.id) == ["rule-\(commune.id)", "rule-\(province.id)"])
        let first = try #require(tanLap.entries.first)
        #expect(first.content == Content(sha256: StoreFixture.hash(1), durationMs: 90_000, title: "Bản tin 1"))
        #expect(first.time == LocalTime(hour: 6, minute: 30))
        #expect(first.recurrence == .daily)
        #expect(first.priority == .scheduled, "a rule without a chosen priority lands in the scheduled band")
        #expect(first.onBusy == .queue && first.onInterrupt == .resume)
        #expect(tanLap.entries[1].recurrence == .weekly([.monday, .wednesday, .friday]))
        #expect(tanLap.validate().isEmpty)

        let kyPhong = try await compile(fixture, "xa-ky-phong-01")
        #expect(kyPhong.entries.map(\.content.sha256) == [StoreFixture.hash(3), StoreFixture.hash(4)])
        #expect(kyPhong.entries[0].recurrence == .once(LocalDate(year: 2026, month: 12, day: 1)))
        #expect(try await compile(fixture, "xa-dien-hoa-01").entries.isEmpty)
    }

    @Test func canonicalJSONRoundTripsAndIsStable() async throws {
        let fixture = try await StoreFixture.seeded()
        _ = try await fixture.approvedBulletin(1)
        _ = try await fixture.store.createScheduleEntry(rule(1, areas: ["cam-xuyen"]), origin: fixture.admin)
        let schedule = try await compile(fixture, "xa-cam-binh-01")
        let json = schedule.canonicalJSON()
        #expect(try GatewaySchedule.decode(json: json) == schedule)
        #expect(try await compile(fixture, "xa-cam-binh-01").canonicalJSON() == json)
        #expect(String(decoding: json, as: UTF8.self).contains("\"timeZone\":\"Asia/Ho_Chi_Minh\""))
    }

    @Test func approvingADraftChangesTheScheduleAndItsVersion() async throws {
        let fixture = try await StoreFixture.seeded()
        _ = try await fixture.bulletin(2)
        _ = try await fixture.store.createScheduleEntry(rule(2, areas: ["xa-tan-lap"]), origin: fixture.admin)
        let before = try await compile(fixture, "xa-tan-lap-02")
        #expect(before.entries.isEmpty)
        _ = try await fixture.store.transitionBulletin(StoreFixture.hash(2), to: .approved, origin: fixture.admin)
        let after = try await compile(fixture, "xa-tan-lap-02")
        #expect(after.entries.count == 1)
        #expect(after.version > before.version)
    }

    @Test func aGatewayMovedToAnotherCommuneGetsThatCommunesSchedule() async throws {
        let fixture = try await StoreFixture.seeded()
        _ = try await fixture.approvedBulletin(1)
        _ = try await fixture.approvedBulletin(5)
        _ = try await fixture.store.createScheduleEntry(rule(1, areas: ["xa-tan-lap"]), origin: fixture.admin)
        _ = try await fixture.store.createScheduleEntry(rule(5, areas: ["nghe-an"]), origin: fixture.admin)
        let before = try await compile(fixture, "xa-tan-lap-01")
        #expect(before.entries.map(\.content.sha256) == [StoreFixture.hash(1)])
        _ = try await fixture.store.updateGateway("xa-tan-lap-01", name: "moved", areaID: "xa-dien-hoa", location: nil,
                                                  origin: fixture.admin)
        let after = try await compile(fixture, "xa-tan-lap-01")
        #expect(after.entries.map(\.content.sha256) == [StoreFixture.hash(5)])
        #expect(after.version > before.version)
        #expect(after.canonicalJSON() != before.canonicalJSON())
    }

    @Test func asPlayedItemIDsLeadBackToTheirRule() {
        #expect(ScheduleCompiler.ruleID(fromItemID: "rule-12@1767225600#0") == 12)
        #expect(ScheduleCompiler.ruleID(fromItemID: "announcement-3") == nil)
    }
}
