import Foundation
import Testing
@testable import LoaController

@Suite struct HealthStoreTests {
    func sample(_ n: Int, at: Date, gateway: String = "xa-tan-lap-01") -> HealthSample {
        HealthSample(gatewayID: gateway, at: at, report: Data(#"{"n":\#(n),"volume":70}"#.utf8))
    }

    @Test func historyIsBoundedPerGateway() async throws {
        let f = try await StoreFixture.seeded(healthHistoryLimit: 5)
        let t0 = f.clock.now
        for n in 0..<12 { try await f.database.recordHealth(sample(n, at: t0.addingTimeInterval(Double(n) * 30))) }
        try await f.database.recordHealth(sample(99, at: t0, gateway: "xa-tan-lap-02"))
        let history = try await f.database.healthHistory(of: "xa-tan-lap-01", limit: 100)
        #expect(history.count == 5)
        #expect(history == (7..<12).reversed().map { sample($0, at: t0.addingTimeInterval(Double($0) * 30)) })
        #expect(try await f.database.healthHistory(of: "xa-tan-lap-02", limit: 100).count == 1)
        #expect(try await f.database.latestHealth(of: "xa-tan-lap-01") == sample(11, at: t0.addingTimeInterval(330)))
    }

    @Test func historyOlderThanTheMaximumAgeIsPruned() async throws {
        let f = try await StoreFixture.seeded(healthHistoryLimit: 1_000)
        let t0 = f.clock.now
        for day in 0..<40 { try await f.database.recordHealth(sample(day, at: t0.addingTimeInterval(Double(day) * 86_400))) }
        let history = try await f.database.healthHistory(of: "xa-tan-lap-01", limit: 1_000)
        #expect(history.count == 31, "30 days back from the newest, inclusive")
        #expect(history.last == sample(9, at: t0.addingTimeInterval(9 * 86_400)))
    }

    /// The fleet's batched write: each report as `recordHealth` would store it, each gateway seen.
    @Test func aBatchOfReportsIsStoredLikeOneAtATime() async throws {
        let f = try await StoreFixture.seeded(healthHistoryLimit: 5)
        let t0 = f.clock.now
        try await f.database.recordHealthReports((0..<8).map { sample($0, at: t0.addingTimeInterval(Double($0) * 30)) }
            + [sample(99, at: t0, gateway: "xa-tan-lap-02")])
        #expect(try await f.database.healthHistory(of: "xa-tan-lap-01", limit: 100)
            == (3..<8).reversed().map { sample($0, at: t0.addingTimeInterval(Double($0) * 30)) })
        #expect(try await f.database.latestHealth(of: "xa-tan-lap-02") == sample(99, at: t0, gateway: "xa-tan-lap-02"))
        #expect(try await f.database.gateway("xa-tan-lap-01").lastSeenAt == t0.addingTimeInterval(210))
        await #expect(throws: StoreError.self) { try await f.database.recordHealthReports([sample(1, at: t0, gateway: "nowhere-01")]) }
    }

    @Test func aLateSampleDoesNotReplaceANewerLatest() async throws {
        let f = try await StoreFixture.seeded()
        let t0 = f.clock.now
        #expect(try await f.database.latestHealth(of: "xa-tan-lap-01") == nil)
        try await f.database.recordHealth(sample(2, at: t0.addingTimeInterval(60)))
        try await f.database.recordHealth(sample(1, at: t0))
        #expect(try await f.database.latestHealth(of: "xa-tan-lap-01") == sample(2, at: t0.addingTimeInterval(60)))
    }

    @Test func latestByArea() async throws {
        let f = try await StoreFixture.seeded()
        let t0 = f.clock.now
        for gateway in ["xa-tan-lap-01", "xa-cam-binh-01", "xa-dien-hoa-01"] {
            try await f.store.recordHealth(sample(1, at: t0, gateway: gateway))
        }
        #expect(try await f.store.latestHealth(inSubtreeOf: "ha-tinh").map(\.gatewayID) == ["xa-cam-binh-01", "xa-tan-lap-01"])
        #expect(try await f.store.latestHealth(inSubtreeOf: "xa-ky-phong").isEmpty)
    }

    @Test func aReportMustBeJSON() async throws {
        let f = try await StoreFixture.seeded()
        await #expect(throws: StoreError.self) {
            try await f.database.recordHealth(HealthSample(gatewayID: "xa-tan-lap-01", at: f.clock.now, report: Data("volume=70".utf8)))
        }
    }
}
