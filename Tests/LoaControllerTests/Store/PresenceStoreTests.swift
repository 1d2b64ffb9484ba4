import Foundation
import Testing
@testable import LoaController

/// Gateway presence spans in SQLite: a session opens one, reports extend it, the end closes it,
/// a reconnect within a minute continues it, a shutdown closes every open one, and an unknown
/// gateway is refused.
@Suite struct PresenceStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func spans(_ f: StoreFixture, _ gateway: String = "xa-tan-lap-01") async throws -> [ReportFacts.Presence] {
        try await f.database.reportFacts(gatewayIDs: [gateway], in: DateInterval(start: t0.addingTimeInterval(-86_400), duration: 3 * 86_400)).presence
    }

    @Test func sessionsBecomeSpans() async throws {
        let f = try await StoreFixture.seeded()
        let db = f.database
        try await db.gatewayConnected("xa-tan-lap-01", at: Self.t0)
        try await db.markGatewaySeen("xa-tan-lap-01", at: Self.t0.addingTimeInterval(900))
        #expect(try await Self.spans(f) == [.init(gatewayID: "xa-tan-lap-01", from: Self.t0, to: Self.t0.addingTimeInterval(900), open: true)])
        try await db.gatewayDisconnected("xa-tan-lap-01", at: Self.t0.addingTimeInterval(1_000))
        // Back 30 s later: the same span goes on; back after 10 minutes: a new one.
        try await db.gatewayConnected("xa-tan-lap-01", at: Self.t0.addingTimeInterval(1_030))
        try await db.gatewayDisconnected("xa-tan-lap-01", at: Self.t0.addingTimeInterval(2_000))
        try await db.gatewayConnected("xa-tan-lap-01", at: Self.t0.addingTimeInterval(2_600))
        #expect(try await Self.spans(f) == [
            .init(gatewayID: "xa-tan-lap-01", from: Self.t0, to: Self.t0.addingTimeInterval(2_000), open: false),
            .init(gatewayID: "xa-tan-lap-01", from: Self.t0.addingTimeInterval(2_600), to: Self.t0.addingTimeInterval(2_600), open: true),
        ])
        // A controller that died left the span open: the next session closes it where it was last seen.
        try await db.gatewayConnected("xa-tan-lap-01", at: Self.t0.addingTimeInterval(9_000))
        #expect(try await Self.spans(f).map(\.open) == [false, false, true])
        // The shutdown drain closes what is open.
        try await db.gatewayConnected("xa-cam-binh-01", at: Self.t0)
        try await db.markGatewaysSeen(["xa-tan-lap-01", "xa-cam-binh-01"], at: Self.t0.addingTimeInterval(9_500))
        #expect(try await Self.spans(f).last == .init(gatewayID: "xa-tan-lap-01", from: Self.t0.addingTimeInterval(9_000),
                                                      to: Self.t0.addingTimeInterval(9_500), open: false))
        #expect(try await Self.spans(f, "xa-cam-binh-01").map(\.open) == [false])
        await #expect(throws: StoreError.self) { try await db.gatewayConnected("nowhere-01", at: Self.t0) }
    }

    /// The fleet's batched presence writes give the same spans as one write per session.
    @Test func aBatchOfChangesIsTheSameAsOneAtATime() async throws {
        let f = try await StoreFixture.seeded()
        try await f.database.recordPresence([
            PresenceChange(gatewayID: "xa-tan-lap-01", at: Self.t0, connected: true),
            PresenceChange(gatewayID: "xa-cam-binh-01", at: Self.t0, connected: true),
            PresenceChange(gatewayID: "xa-tan-lap-01", at: Self.t0.addingTimeInterval(1_000), connected: false),
            PresenceChange(gatewayID: "xa-tan-lap-01", at: Self.t0.addingTimeInterval(1_030), connected: true),
            PresenceChange(gatewayID: "xa-tan-lap-01", at: Self.t0.addingTimeInterval(2_000), connected: false),
        ])
        #expect(try await Self.spans(f) == [.init(gatewayID: "xa-tan-lap-01", from: Self.t0, to: Self.t0.addingTimeInterval(2_000), open: false)])
        #expect(try await Self.spans(f, "xa-cam-binh-01").map(\.open) == [true])
        await #expect(throws: StoreError.self) {
            try await f.database.recordPresence([PresenceChange(gatewayID: "nowhere-01", at: Self.t0, connected: true)])
        }
    }
}
