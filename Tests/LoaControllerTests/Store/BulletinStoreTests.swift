import Testing
@testable import LoaController

@Suite struct BulletinStoreTests {
    @Test func createReadAndRetitle() async throws {
        let f = try await StoreFixture.seeded()
        let created = try await f.bulletin(1)
        #expect(created.state == .draft)
        #expect(created.createdBy == "bt-tan-lap")
        #expect(created.createdAt == f.clock.now)
        #expect(try await f.database.bulletin(StoreFixture.hash(1)) == created)
        let retitled = try await f.database.retitleBulletin(StoreFixture.hash(1), title: "Tin thời tiết", origin: f.broadcaster)
        #expect(retitled.title == "Tin thời tiết")
        #expect(try await f.database.bulletins(in: .draft).map(\.sha256) == [StoreFixture.hash(1)])
        #expect(try await f.database.bulletins(in: .approved).isEmpty)
    }

    @Test func approvalRecordsApproverAndTime() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.bulletin(1)
        f.clock.advance(by: 3600)
        let approved = try await f.database.transitionBulletin(StoreFixture.hash(1), to: .approved, origin: f.admin)
        #expect(approved.state == .approved)
        #expect(approved.approvedBy == "admin")
        #expect(approved.approvedAt == f.clock.now)
    }

    struct Transition: Sendable, CustomTestStringConvertible {
        var from: BulletinState
        var to: BulletinState
        var allowed: Bool
        var testDescription: String { "\(from) → \(to): \(allowed ? "allowed" : "refused")" }
    }

    static let allowed: [(BulletinState, BulletinState)] = [(.draft, .approved), (.draft, .archived), (.approved, .archived)]

    static let transitions: [Transition] = BulletinState.allCases.flatMap { from in
        BulletinState.allCases.map { to in
            Transition(from: from, to: to, allowed: allowed.contains { $0 == (from, to) })
        }
    }

    @Test(arguments: transitions)
    func transition(_ t: Transition) async throws {
        #expect(t.from.canTransition(to: t.to) == t.allowed)
        let f = try await StoreFixture.seeded()
        let hash = StoreFixture.hash(1)
        _ = try await f.bulletin(1)
        if t.from != .draft { _ = try await f.database.transitionBulletin(hash, to: t.from, origin: f.admin) }
        if t.allowed {
            #expect(try await f.database.transitionBulletin(hash, to: t.to, origin: f.admin).state == t.to)
        } else {
            await #expect(throws: StoreError.bulletinTransitionRefused(sha256: hash, from: t.from, to: t.to)) {
                try await f.database.transitionBulletin(hash, to: t.to, origin: f.admin)
            }
        }
    }

    @Test func refusalMessageNamesTheBulletin() {
        let error = StoreError.bulletinTransitionRefused(sha256: "3f2a" + String(repeating: "0", count: 60), from: .archived, to: .approved)
        #expect(error.description == "bulletin 3f2a…: cannot approve an archived bulletin")
    }

    @Test func refusalToReturnToDraftReads() {
        let error = StoreError.bulletinTransitionRefused(sha256: StoreFixture.hash(1), from: .approved, to: .draft)
        #expect(error.description.hasSuffix("cannot return an approved bulletin to draft"))
    }

    @Test func schemaRefusesATransitionTheCodeWouldRefuse() async throws {
        let f = try await StoreFixture.seeded()
        _ = try await f.approvedBulletin(1)
        #expect(throws: (any Error).self) {
            try f.database.writer.write { db in
                try db.execute(sql: "UPDATE bulletin SET state = 'draft'")
            }
        }
    }

    @Test func badHashesAndUnknownCreatorsAreRefused() async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.self) {
            try await f.database.createBulletin(
                NewBulletin(sha256: "ABC", title: "x", durationMs: 1, loudnessLUFS: -16, byteSize: 1), origin: f.admin)
        }
        await #expect(throws: StoreError.notFound(kind: "user", id: "ghost")) {
            try await f.database.createBulletin(
                NewBulletin(sha256: StoreFixture.hash(9), title: "x", durationMs: 1, loudnessLUFS: -16, byteSize: 1),
                origin: AuditOrigin(actor: "ghost"))
        }
        await #expect(throws: StoreError.self, "durations are positive, by the schema") {
            try await f.database.createBulletin(
                NewBulletin(sha256: StoreFixture.hash(9), title: "x", durationMs: 0, loudnessLUFS: -16, byteSize: 1), origin: f.admin)
        }
    }
}
