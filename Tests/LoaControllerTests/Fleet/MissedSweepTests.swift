import Foundation
import LoaSchedule
import Testing
@testable import LoaController

/// The controller's missed sweep: occurrences that ran wholly while a gateway was offline.
@Suite struct MissedSweepTests {
    /// 06:30 in Hanoi, daily, 90 s (`StoreFixture`'s bulletins), first seen on 2026-05-28 20:26:40 UTC.
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    static let sixThirty: [TimeInterval] = [1_780_011_000, 1_780_097_400, 1_780_183_800]

    static func schedule(repeats: Int = 1) -> GatewaySchedule {
        GatewaySchedule(version: 3, entries: [
            ScheduleEntry(id: "rule-1", content: Content(sha256: StoreFixture.hash(1), durationMs: 90_000, title: "Bản tin"),
                          recurrence: .daily, time: LocalTime(hour: 6, minute: 30), repeatCount: repeats),
        ])
    }

    @Test func onlyOccurrencesWhollyAfterLastSeenAndEndedLongEnoughAgo() throws {
        let now = Self.t0 + 2 * 86_400
        let events = try MissedSweep.missed(in: Self.schedule(), gatewayID: "xa-tan-lap-01", lastSeen: Self.t0,
                                            sweptUntil: nil, until: now - 3600, now: now)
        #expect(events.map(\.itemID) == Self.sixThirty.prefix(2).map { "rule-1@\(Int($0))#0" })
        #expect(events.allSatisfy { $0.kind == .missed && $0.origin == .controller
            && $0.detail == "missed reason=gateway-offline offline-since=1780000000000" })
        #expect(events.first?.at == Date(timeIntervalSince1970: Self.sixThirty[0]))
        #expect(events.first?.eventID == MissedSweep.eventID(gatewayID: "xa-tan-lap-01", itemID: "rule-1@1780011000#0"))
        // Last seen during an occurrence: that one was not wholly offline.
        let during = try MissedSweep.missed(in: Self.schedule(), gatewayID: "g", lastSeen: Date(timeIntervalSince1970: Self.sixThirty[0] + 10),
                                            sweptUntil: nil, until: now - 3600, now: now)
        #expect(during.map(\.itemID) == ["rule-1@1780097400#0"])
    }

    @Test func aLaterSweepStartsWhereTheLastEndedWithoutLosingAPlayThatSpannedIt() throws {
        // Two back-to-back repeats, 06:30:00–06:31:30–06:33:00; the first sweep's `until` falls in the second.
        let schedule = Self.schedule(repeats: 2)
        let split = Date(timeIntervalSince1970: Self.sixThirty[0] + 120)
        let first = try MissedSweep.missed(in: schedule, gatewayID: "g", lastSeen: Self.t0, sweptUntil: nil, until: split, now: split + 3600)
        #expect(first.map(\.itemID) == ["rule-1@1780011000#0"])
        let second = try MissedSweep.missed(in: schedule, gatewayID: "g", lastSeen: Self.t0, sweptUntil: split,
                                            until: split + 600, now: split + 4200)
        #expect(second.map(\.itemID) == ["rule-1@1780011090#1"])
    }

    @Test func nothingOlderThanTheLookBack() throws {
        let now = Self.t0 + 30 * 86_400
        let events = try MissedSweep.missed(in: Self.schedule(), gatewayID: "g", lastSeen: Self.t0, sweptUntil: nil,
                                            until: now - 3600, now: now)
        #expect(events.count == 7)
        #expect(events.allSatisfy { $0.at >= now - MissedSweep.lookBack })
    }

    @Test func theIdIsStableAndFitsTheStore() {
        let id = MissedSweep.eventID(gatewayID: "xa-tan-lap-01", itemID: "rule-1@1780011000#0")
        #expect(id == MissedSweep.eventID(gatewayID: "xa-tan-lap-01", itemID: "rule-1@1780011000#0"))
        #expect(id != MissedSweep.eventID(gatewayID: "xa-tan-lap-02", itemID: "rule-1@1780011000#0"))
        #expect(id.hasPrefix("controller-missed-") && id.count == 58)
    }

    /// The fleet's pass over a real store: offline gateways that were seen get their missed
    /// occurrences once; a gateway never seen, or connected, gets none; the gateway's own report
    /// replaces the guess.
    @Test func theFleetSweepsOfflineGatewaysOnce() async throws {
        let clock = TestClock(Self.t0)
        let f = try await StoreFixture.seeded(clock: clock)
        _ = try await f.approvedBulletin(1)
        _ = try await f.database.createScheduleEntry(ScheduleRule(
            bulletinSHA256: StoreFixture.hash(1), target: BroadcastTarget(areaIDs: ["cam-xuyen"]), recurrence: .daily,
            timeOfDay: TimeOfDay(hour: 6, minute: 30), validFrom: LocalDate(year: 2026, month: 1, day: 1), validTo: nil,
            priority: 100, repeatCount: 1, onBusy: .queue, onInterrupt: .resume), origin: f.admin)
        try await f.database.markGatewaySeen("xa-tan-lap-01", at: Self.t0)
        try await f.database.markGatewaySeen("xa-tan-lap-02", at: Self.t0 + 86_400 + 3600)  // after the first 06:30
        // xa-cam-binh-01 is in the area too, but was never seen: not installed yet.
        let dir = try ScratchDirectory("loa-missed-sweep")
        let fleet = GatewayFleet(store: f.store, content: try ContentStore(root: dir.url), logger: TestLog.quiet)
        let now = Self.t0 + 2 * 86_400
        #expect(await fleet.sweepMissed(missedAfter: 3600, at: now) == 3)
        #expect(await fleet.sweepMissed(missedAfter: 3600, at: now + 60) == 0)
        let outcomes = try await f.database.playOutcomes(PlayEventQuery()).outcomes
        #expect(Set(outcomes.map { "\($0.gatewayID) \($0.itemID) \($0.outcome.rawValue) \($0.origin.rawValue)" }) == [
            "xa-tan-lap-01 rule-1@1780011000#0 missed controller", "xa-tan-lap-01 rule-1@1780097400#0 missed controller",
            "xa-tan-lap-02 rule-1@1780097400#0 missed controller",
        ])
        // A day later: one more each.
        #expect(await fleet.sweepMissed(missedAfter: 3600, at: now + 86_400) == 2)
    }
}
