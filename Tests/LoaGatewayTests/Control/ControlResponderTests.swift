import Foundation
import LoaSchedule
import Testing
@testable import LoaGateway

/// Fixed answers for the responder: what the daemon's backend reads from live services.
final class FixedControlBackend: ControlBackend, @unchecked Sendable {
    let lock = NSLock()
    var schedule: GatewaySchedule?
    var clock: Date
    var entries: [CacheEntry] = []
    var volumePercent: Int? = 70
    var tones: [(Int, Int64)] = []
    let ring = LogRing(capacity: 3)

    init(schedule: GatewaySchedule?, now: Date) {
        self.schedule = schedule
        self.clock = now
    }

    func status() -> GatewayStatusReport {
        GatewayStatusReport(gatewayId: "xa-thu", software: "loa-gateway test", uptimeSeconds: 5, now: Int64(clock.timeIntervalSince1970 * 1000),
                            link: .init(connected: false), scheduleVersion: schedule?.version, nowPlaying: nil, amplifierOn: false,
                            output: "closed", volume: try? volume(), cacheUsedBytes: 0, cacheQuotaBytes: 1 << 24, cacheEntries: 0,
                            outboxPending: 0, lastErrors: [])
    }
    func storedSchedule() -> GatewaySchedule? { schedule }
    func now() -> Date { clock }
    func cacheEntries() -> [CacheEntry] { entries }
    var cacheQuotaBytes: UInt64 { 1 << 24 }
    func isCached(sha256: String) -> Bool { entries.contains { $0.address.hex == sha256 } }
    func volume() throws(ControlError) -> VolumeReport {
        guard let volumePercent = lock.withLock({ volumePercent }) else { throw .unavailable("this gateway has no volume control") }
        return VolumeReport(percent: volumePercent, kind: "software", persisted: false)
    }
    func setVolume(_ percent: Int) throws(ControlError) -> VolumeReport {
        lock.withLock { volumePercent = percent }
        return VolumeReport(percent: percent, kind: "software", persisted: true)
    }
    func testTone(frequencyHz: Int, durationMs: Int64) throws(ControlError) -> TestToneReport {
        lock.withLock { tones.append((frequencyHz, durationMs)) }
        return TestToneReport(itemId: "test-tone-1", frequencyHz: frequencyHz, durationMs: durationMs, priority: 110)
    }
    func recentLogs(_ count: Int) -> [String] { ring.last(count) }
}

struct ControlResponderTests {
    static let start = Date(timeIntervalSince1970: 1_795_990_000)

    func answer(_ responder: ControlResponder, _ text: String) throws -> ControlAnswer {
        try ControlAnswer.decode(responder.answer(line: Array(text.utf8)))
    }

    @Test func answersEachCommand() throws {
        let bulletin = Content(sha256: String(repeating: "ab", count: 32), durationMs: 90_000, title: "Bản tin sáng")
        let other = Content(sha256: String(repeating: "cd", count: 32), durationMs: 30_000, title: "Nhạc")
        // 06:30 and 17:00 local every day (UTC+7); now is 2026-11-30 05:06:40 local.
        let schedule = GatewaySchedule(version: 9, entries: [
            ScheduleEntry(id: "sang", content: bulletin, recurrence: .daily, time: LocalTime(hour: 6, minute: 30, second: 0)),
            ScheduleEntry(id: "chieu", content: other, recurrence: .daily, time: LocalTime(hour: 17, minute: 0, second: 0)),
        ])
        let backend = FixedControlBackend(schedule: schedule, now: Self.start)
        backend.entries = [CacheEntry(address: ContentAddress(hex: bulletin.sha256)!, size: 540_000, lastUsed: Self.start),
                           CacheEntry(address: ContentAddress(hex: String(repeating: "ef", count: 32))!, size: 1_000, lastUsed: Self.start - 10)]
        let responder = ControlResponder(backend: backend)

        let status = try answer(responder, #"{"command":"status"}"#)
        #expect(status.ok && status.status?.scheduleVersion == 9 && status.status?.gatewayId == "xa-thu")

        let listing = try #require(try answer(responder, #"{"command":"schedule","count":3}"#).schedule)
        #expect(listing.version == 9 && listing.timeZone == "Asia/Ho_Chi_Minh")
        #expect(listing.plays.map(\.entryId) == ["sang", "chieu", "sang"])
        #expect(listing.plays.map(\.localStart) == ["2026-11-30 06:30:00", "2026-11-30 17:00:00", "2026-12-01 06:30:00"])
        #expect(listing.plays.map(\.cached) == [true, false, true])
        #expect(listing.plays[0].itemId == "sang@1795995000#0")
        #expect(listing.plays[0].title == "Bản tin sáng" && listing.plays[0].durationMs == 90_000)

        let cache = try #require(try answer(responder, #"{"command":"cache"}"#).cache)
        #expect(cache.usedBytes == 541_000 && cache.quotaBytes == 1 << 24)
        #expect(cache.entries.map(\.needed) == [true, false])  // most recently used first
        #expect(cache.entries.first?.title == "Bản tin sáng")
        #expect(cache.missing == [other.sha256])

        #expect(try answer(responder, #"{"command":"volume"}"#).volume?.percent == 70)
        let set = try answer(responder, #"{"command":"volume","percent":35}"#)
        #expect(set.volume == VolumeReport(percent: 35, kind: "software", persisted: true))
        #expect(try answer(responder, #"{"command":"volume"}"#).volume?.percent == 35)

        let tone = try answer(responder, #"{"command":"testTone","seconds":1.5}"#)
        #expect(tone.testTone?.durationMs == 1_500 && tone.testTone?.frequencyHz == 1_000)
        #expect(backend.tones.map(\.1) == [1_500])

        for line in ["a", "b", "c", "d"] { backend.ring.append(line) }
        #expect(try answer(responder, #"{"command":"logs","lines":2}"#).logs == ["c", "d"])
        #expect(try answer(responder, #"{"command":"logs","lines":10}"#).logs == ["b", "c", "d"])
    }

    @Test func refusalsAreAnswersWithErrors() throws {
        let backend = FixedControlBackend(schedule: nil, now: Self.start)
        backend.volumePercent = nil
        let responder = ControlResponder(backend: backend)
        let garbage = try answer(responder, "{nope")
        #expect(!garbage.ok && garbage.error?.contains("malformed request") == true)
        let unknown = try answer(responder, #"{"command":"reboot"}"#)
        #expect(!unknown.ok && unknown.error?.contains("unknown command \"reboot\"") == true)
        let noVolume = try answer(responder, #"{"command":"volume"}"#)
        #expect(!noVolume.ok && noVolume.error == "this gateway has no volume control")
        let none = try #require(try answer(responder, #"{"command":"schedule"}"#).schedule)
        #expect(none.version == nil && none.plays.isEmpty)
        let empty = try #require(try answer(responder, #"{"command":"cache"}"#).cache)
        #expect(empty.entries.isEmpty && empty.missing.isEmpty)
    }

    @Test func aBadTimeZoneIsReportedNotThrown() {
        let schedule = GatewaySchedule(version: 2, timeZone: "Mars/Olympus", entries: [])
        let listing = ScheduleListing.make(schedule: schedule, now: Self.start, count: 5) { _ in false }
        #expect(listing.problem != nil && listing.plays.isEmpty)
    }
}
