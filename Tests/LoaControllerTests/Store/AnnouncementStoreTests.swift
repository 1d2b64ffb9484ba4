import Testing
@testable import LoaController

@Suite struct AnnouncementStoreTests {
    @Test func createReadStopAndActive() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        let now = f.clock.now
        let new = NewAnnouncement(
            content: .bulletin(sha256: StoreFixture.hash(1)), target: BroadcastTarget(areaIDs: ["cam-xuyen"], gatewayIDs: ["xa-dien-hoa-01"]),
            priority: 200, startAt: now, expiresAt: now.addingTimeInterval(600))
        let created = try await f.database.createAnnouncement(new, origin: f.admin)
        #expect(created.target == new.target)
        #expect(created.stoppedAt == nil)
        #expect(try await f.database.announcement(created.id) == created)
        #expect(try await f.database.activeAnnouncements(at: now.addingTimeInterval(60)).map(\.id) == [created.id])
        #expect(try await f.database.activeAnnouncements(at: now.addingTimeInterval(600)).isEmpty)

        f.clock.advance(by: 30)
        let stopped = try await f.database.stopAnnouncement(created.id, origin: f.admin)
        #expect(stopped.stoppedAt == f.clock.now && stopped.stoppedBy == "admin")
        #expect(try await f.database.activeAnnouncements(at: now.addingTimeInterval(60)).isEmpty)
        await #expect(throws: StoreError.self) { try await f.database.stopAnnouncement(created.id, origin: f.admin) }
    }

    @Test func rawContentAndRefusals() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.bulletin(2)
        let now = f.clock.now
        let raw = try await f.database.createAnnouncement(NewAnnouncement(
            content: .content(sha256: StoreFixture.hash(5)), target: BroadcastTarget(gatewayIDs: ["xa-tan-lap-01"]),
            priority: 250, startAt: now, expiresAt: now.addingTimeInterval(60)), origin: f.admin)
        #expect(raw.content == .content(sha256: StoreFixture.hash(5)))

        let draft = NewAnnouncement(content: .bulletin(sha256: StoreFixture.hash(2)), target: BroadcastTarget(areaIDs: ["ha-tinh"]),
                                    priority: 200, startAt: now, expiresAt: now.addingTimeInterval(60))
        let error = await #expect(throws: StoreError.self) { try await f.database.createAnnouncement(draft, origin: f.admin) }
        #expect(error?.description.contains("is draft, not approved") == true)

        var backwards = draft
        backwards.content = .content(sha256: StoreFixture.hash(5))
        backwards.expiresAt = now.addingTimeInterval(-1)
        await #expect(throws: StoreError.self) { try await f.database.createAnnouncement(backwards, origin: f.admin) }
    }
}
