import Testing
@testable import LoaController
import LoaSchedule

@Suite struct AuditLogTests {
    @Test func everyChangeIsAudited() async throws {
        let f = try await StoreFixture.seeded()
        let start = try await f.database.auditEntries(after: 0, limit: 1_000).last?.sequence ?? 0
        _ = try await f.approvedBulletin(1)
        let entry = try await f.database.createScheduleEntry(ScheduleRule(
            bulletinSHA256: StoreFixture.hash(1), target: BroadcastTarget(areaIDs: ["xa-tan-lap"]), recurrence: .daily,
            timeOfDay: TimeOfDay(hour: 17, minute: 0), validFrom: LocalDate(year: 2026, month: 12, day: 1)), origin: f.broadcaster)
        _ = try await f.database.rotateGatewaySecret("xa-tan-lap-01", origin: f.admin)
        try await f.database.appendAudit(action: "gateway.volume", target: "xa-tan-lap-01", details: ["volume": "70"], origin: f.admin)

        let entries = try await f.database.auditEntries(after: start, limit: 100)
        #expect(entries.map(\.action) == ["bulletin.create", "bulletin.approve", "schedule.create", "gateway.rotate-secret", "gateway.volume"])
        #expect(entries.map(\.actor) == ["bt-tan-lap", "admin", "bt-tan-lap", "admin", "admin"])
        #expect(entries[2].target == "\(entry.id)")
        #expect(entries[1].address == "10.0.0.5")
        #expect(entries[1].details == ["from": "draft", "to": "approved"])
        #expect(entries[4].details == ["volume": "70"])
        #expect(entries.allSatisfy { $0.at == f.clock.now })
    }

    @Test func aRefusedChangeLeavesNoEntry() async throws {
        let f = try await StoreFixture.seeded()
        let before = try await f.database.auditEntries(after: 0, limit: 1_000).count
        await #expect(throws: StoreError.self) {
            try await f.database.createGateway(id: "xa-tan-lap-01", name: "x", areaID: "xa-tan-lap", location: nil, origin: f.admin)
        }
        #expect(try await f.database.auditEntries(after: 0, limit: 1_000).count == before)
    }

    @Test func theLogIsAppendOnly() async throws {
        let f = try await StoreFixture.seeded()
        #expect(throws: (any Error).self) {
            try f.database.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET actor = 'someone else'") }
        }
        #expect(throws: (any Error).self) {
            try f.database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry") }
        }
    }
}
