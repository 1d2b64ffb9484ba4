import GRDB
import LoaSchedule
import Testing
@testable import LoaController

@Suite struct ScheduleStoreTests {
    func rule(_ target: BroadcastTarget, bulletin: Int = 1) -> ScheduleRule {
        ScheduleRule(
            bulletinSHA256: StoreFixture.hash(bulletin), target: target, recurrence: .weekly([1, 3, 5]),
            timeOfDay: TimeOfDay(hour: 6, minute: 30), validFrom: LocalDate(year: 2026, month: 12, day: 1),
            validTo: LocalDate(year: 2027, month: 2, day: 28), priority: 120, repeatCount: 2,
            onBusy: .queue, onInterrupt: .restart)
    }

    @Test func createReadUpdateDelete() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        let target = BroadcastTarget(areaIDs: ["xa-tan-lap"], gatewayIDs: ["xa-ky-phong-01"])
        let entry = try await f.database.createScheduleEntry(rule(target), origin: f.broadcaster)
        #expect(entry.rule == rule(target))
        #expect(entry.createdBy == "bt-tan-lap")
        #expect(try await f.database.scheduleEntry(entry.id) == entry)

        var changed = rule(BroadcastTarget(areaIDs: ["cam-xuyen"]))
        changed.recurrence = .daily
        changed.validTo = nil
        let updated = try await f.database.updateScheduleEntry(entry.id, rule: changed, origin: f.broadcaster)
        #expect(updated.rule == changed)

        try await f.database.deleteScheduleEntry(entry.id, origin: f.admin)
        await #expect(throws: StoreError.notFound(kind: "schedule entry", id: "\(entry.id)")) {
            try await f.database.scheduleEntry(entry.id)
        }
    }

    /// Issue 12: the API allowed 1–10 repeats and the store (so `loa-controller admin schedule`) 1–100.
    @Test func theStoreTakesTheSameRepeatCountsAsTheAPI() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        var rule = rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]))
        rule.repeatCount = LoaSchedule.ScheduleEntry.repeatCountLimit.upperBound
        _ = try await f.database.createScheduleEntry(rule, origin: f.broadcaster)
        rule.repeatCount += 1
        await #expect(throws: StoreError.self) { try await f.database.createScheduleEntry(rule, origin: f.broadcaster) }
    }

    @Test func versionsFollowScheduleChanges() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        let before = try await f.versions()
        let entry = try await f.database.createScheduleEntry(
            rule(BroadcastTarget(areaIDs: ["xa-tan-lap"], gatewayIDs: ["xa-ky-phong-01"])), origin: f.broadcaster)
        var after = try await f.versions()
        #expect(after["xa-tan-lap-01"] == before["xa-tan-lap-01"]! + 1)
        #expect(after["xa-tan-lap-02"] == before["xa-tan-lap-02"]! + 1)
        #expect(after["xa-ky-phong-01"] == before["xa-ky-phong-01"]! + 1)
        #expect(after["xa-cam-binh-01"] == before["xa-cam-binh-01"])
        #expect(after["xa-dien-hoa-01"] == before["xa-dien-hoa-01"])

        // Retargeting to the district touches the old and the new audience.
        let previous = after
        _ = try await f.database.updateScheduleEntry(entry.id, rule: rule(BroadcastTarget(areaIDs: ["cam-xuyen"])), origin: f.admin)
        after = try await f.versions()
        for id in ["xa-tan-lap-01", "xa-tan-lap-02", "xa-cam-binh-01", "xa-ky-phong-01"] {
            #expect(after[id] == previous[id]! + 1, "\(id)")
        }
        #expect(after["xa-dien-hoa-01"] == previous["xa-dien-hoa-01"])

        let beforeDelete = after
        try await f.database.deleteScheduleEntry(entry.id, origin: f.admin)
        after = try await f.versions()
        #expect(after["xa-cam-binh-01"] == beforeDelete["xa-cam-binh-01"]! + 1)
        #expect(after["xa-ky-phong-01"] == beforeDelete["xa-ky-phong-01"])
    }

    @Test func approvingABulletinBumpsTheGatewaysThatScheduleIt() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.bulletin(2)
        _ = try await f.database.createScheduleEntry(rule(BroadcastTarget(areaIDs: ["ky-anh"]), bulletin: 2), origin: f.admin)
        let before = try await f.versions()
        _ = try await f.database.transitionBulletin(StoreFixture.hash(2), to: .approved, origin: f.admin)
        let after = try await f.versions()
        #expect(after["xa-ky-phong-01"] == before["xa-ky-phong-01"]! + 1)
        #expect(after["xa-tan-lap-01"] == before["xa-tan-lap-01"])
    }

    @Test func movingAnAreaBumpsEveryGatewayBelowIt() async throws {
        let f = try await StoreFixture.seeded()
        let before = try await f.versions()
        var commune = try await f.database.area("xa-cam-binh")
        commune.parentID = "ky-anh"
        try await f.database.updateArea(commune, origin: f.admin)
        let after = try await f.versions()
        #expect(after["xa-cam-binh-01"] == before["xa-cam-binh-01"]! + 1)
        #expect(after["xa-tan-lap-01"] == before["xa-tan-lap-01"])
        #expect(try await f.database.gatewaysAffected(byChangeToArea: "ky-anh") == ["xa-cam-binh-01", "xa-ky-phong-01"])
    }

    @Test func affectedGateways() async throws {
        let f = try await StoreFixture.seeded()
        #expect(try await f.database.gatewaysAffected(byChangeToArea: "ha-tinh")
            == ["xa-cam-binh-01", "xa-ky-phong-01", "xa-tan-lap-01", "xa-tan-lap-02"])
        #expect(try await f.database.gatewaysAffected(byChangeToArea: "xa-tan-lap") == ["xa-tan-lap-01", "xa-tan-lap-02"])
        #expect(try await f.database.gatewaysAffected(byChangeToArea: "dien-chau") == ["xa-dien-hoa-01"])
    }

    @Test func affectedGatewaysUsesTheIndexesNotAScan() async throws {
        let f = try await StoreFixture.seeded()
        let plan = try await f.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(ControllerDatabase.subtreeGatewaysSQL)", arguments: ["ha-tinh"])
                .map { $0["detail"] as String }
        }
        let text = plan.joined(separator: "\n")
        #expect(text.contains("gateway_area"), "\(text)")
        #expect(text.contains("area_parent"), "\(text)")
        #expect(!plan.contains { $0.hasPrefix("SCAN g") || $0.hasPrefix("SCAN gateway") }, "\(text)")
    }

    @Test func entriesForAGatewayIncludeItsAncestorsAndItself() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        let province = try await f.database.createScheduleEntry(rule(BroadcastTarget(areaIDs: ["ha-tinh"])), origin: f.admin)
        let direct = try await f.database.createScheduleEntry(rule(BroadcastTarget(gatewayIDs: ["xa-tan-lap-01"])), origin: f.admin)
        let other = try await f.database.createScheduleEntry(rule(BroadcastTarget(areaIDs: ["ky-anh"])), origin: f.admin)
        _ = try await f.bulletin(2)
        let unapproved = try await f.database.createScheduleEntry(
            rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]), bulletin: 2), origin: f.admin)
        #expect(try await f.database.scheduleEntries(forGateway: "xa-tan-lap-01", approvedOnly: true).map(\.id)
            == [province.id, direct.id])
        #expect(try await f.database.scheduleEntries(forGateway: "xa-tan-lap-01", approvedOnly: false).map(\.id)
            == [province.id, direct.id, unapproved.id])
        #expect(try await f.database.scheduleEntries(forGateway: "xa-ky-phong-01", approvedOnly: true).map(\.id)
            == [province.id, other.id])
        #expect(try await f.database.scheduleEntries(forGateway: "xa-dien-hoa-01", approvedOnly: false).isEmpty)
    }

    @Test func invalidRulesAreRefused() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        var bad: [ScheduleRule] = []
        bad.append(rule(BroadcastTarget()))
        var r = rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]))
        r.recurrence = .weekly([])
        bad.append(r)
        r = rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]))
        r.validTo = LocalDate(year: 2026, month: 1, day: 1)
        bad.append(r)
        r = rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]))
        r.validFrom = LocalDate(year: 2026, month: 2, day: 30)
        bad.append(r)
        r = rule(BroadcastTarget(gatewayIDs: ["xa-tan-lap-09"]))
        bad.append(r)
        r = rule(BroadcastTarget(areaIDs: ["xa-tan-lap"]), bulletin: 7)
        bad.append(r)
        for rule in bad {
            await #expect(throws: StoreError.self, "\(rule)") { try await f.database.createScheduleEntry(rule, origin: f.admin) }
        }
    }
}
