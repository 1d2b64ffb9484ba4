import Foundation
import Testing
@testable import LoaSchedule

@Suite struct ScheduleJSONTests {
    static let sample = GatewaySchedule(version: 42, entries: [
        ScheduleEntry(id: "ban-tin-sang", content: Content(sha256: Fixture.hash, durationMs: 93_500, title: "Bản tin sáng"),
                      recurrence: .weekly([.friday, .monday, .wednesday]), time: LocalTime(hour: 6, minute: 30),
                      validFrom: LocalDate(year: 2026, month: 12, day: 1), validTo: LocalDate(year: 2026, month: 12, day: 31),
                      repeatCount: 2, priority: 65, onBusy: .queue, onInterrupt: .restart),
        ScheduleEntry(id: "tiep-song", content: Content(sha256: Fixture.hash, durationMs: 1_000, title: "A/B"),
                      recurrence: .once(LocalDate(year: 2027, month: 1, day: 1)), time: LocalTime(hour: 0, minute: 0, second: 5)),
    ])

    static let golden = #"{"entries":[{"content":{"durationMs":93500,"sha256":"\#(Fixture.hash)","title":"Bản tin sáng"},"id":"ban-tin-sang","onBusy":"queue","onInterrupt":"restart","priority":65,"recurrence":{"type":"weekly","weekdays":[1,3,5]},"repeatCount":2,"time":"06:30:00","validFrom":"2026-12-01","validTo":"2026-12-31"},{"content":{"durationMs":1000,"sha256":"\#(Fixture.hash)","title":"A/B"},"id":"tiep-song","onBusy":"queue","onInterrupt":"resume","priority":60,"recurrence":{"date":"2027-01-01","type":"once"},"repeatCount":1,"time":"00:00:05"}],"timeZone":"Asia/Ho_Chi_Minh","version":42}"#

    @Test func canonicalEncodingMatchesTheGoldenDocument() {
        #expect(String(decoding: Self.sample.canonicalJSON(), as: UTF8.self) == Self.golden)
    }

    @Test func roundTripIsLosslessAndStable() throws {
        let decoded = try GatewaySchedule.decode(json: Self.sample.canonicalJSON())
        #expect(decoded == Self.sample)
        #expect(decoded.canonicalJSON() == Self.sample.canonicalJSON())
    }

    @Test func weekdaySetOrderDoesNotChangeTheBytes() {
        var a = Self.sample, b = Self.sample
        a.entries[0].recurrence = .weekly(Set([Weekday.sunday, .monday, .thursday]))
        b.entries[0].recurrence = .weekly(Set([Weekday.thursday, .sunday, .monday]))
        for _ in 0..<20 { #expect(a.canonicalJSON() == b.canonicalJSON()) }
    }

    @Test func missingOptionalFieldsDecodeToDefaults() throws {
        let json = #"{"version":1,"entries":[{"id":"x","content":{"sha256":"\#(Fixture.hash)","durationMs":5000,"title":"t"},"recurrence":{"type":"daily"},"time":"18:00"}]}"#
        let schedule = try GatewaySchedule.decode(json: Data(json.utf8))
        #expect(schedule.timeZone == "Asia/Ho_Chi_Minh")
        let entry = try #require(schedule.entries.first)
        #expect(entry.time == LocalTime(hour: 18, minute: 0))
        #expect(entry.priority == .scheduled && entry.repeatCount == 1)
        #expect(entry.onBusy == .queue && entry.onInterrupt == .resume)
        #expect(entry.validFrom == nil && entry.validTo == nil)
    }

    @Test(arguments: [
        (#"{"version":1,"entries":[{"id":"x","content":{"sha256":"h","durationMs":1,"title":"t"},"recurrence":{"type":"daily"},"time":"6h30"}]}"#,
         "entries.0.time", "HH:MM:SS"),
        (#"{"version":1,"entries":[{"id":"x","content":{"sha256":"h","durationMs":1,"title":"t"},"recurrence":{"type":"once","date":"1/12/2026"},"time":"06:30"}]}"#,
         "entries.0.recurrence.date", "YYYY-MM-DD"),
        (#"{"entries":[]}"#, "version", "missing"),
    ])
    func decodeErrorsNameTheField(json: String, path: String, hint: String) {
        #expect {
            _ = try GatewaySchedule.decode(json: Data(json.utf8))
        } throws: { error in
            guard let error = error as? ScheduleDocumentError else { return false }
            return error.path == path && error.description.contains(hint)
        }
    }
}
