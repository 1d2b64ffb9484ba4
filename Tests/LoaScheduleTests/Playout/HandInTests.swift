import Foundation
import Testing
@testable import LoaSchedule

/// Handing items in again, withdrawing them on a schedule change, and the log's JSON shape.
@Suite struct HandInTests {
    typealias F = Fixture

    @Test func handingTheSameIdInTwiceKeepsOneCopy() {
        var machine = PlayoutStateMachine()
        _ = machine.itemDue(F.item("a", 60, due: 100), now: F.at(0))
        _ = machine.itemDue(F.item("a", 60, due: 200), now: F.at(0))
        #expect(machine.nextWakeUp(after: F.at(0)) == F.at(198), "the later copy replaced the earlier")
        _ = machine.tick(now: F.at(198))
        #expect(machine.tick(now: F.at(200)).started == ["a"])
        #expect(machine.itemDue(F.item("a", 60, due: 200), now: F.at(201)).commands.isEmpty, "already playing")
    }

    @Test func withdrawingUpcomingItemsIsSilentAndReleasesTheAmplifier() {
        var machine = PlayoutStateMachine()
        _ = machine.itemDue(F.item("old-1", 60, due: 10, kind: .scheduled), now: F.at(0))
        _ = machine.itemDue(F.item("tin", 120, due: 500), now: F.at(0))
        _ = machine.tick(now: F.at(8))
        #expect(machine.isAmplifierOn)
        let withdrawn = machine.withdrawUpcoming(now: F.at(9)) { $0.kind == .scheduled }
        #expect(withdrawn.logged.isEmpty)
        #expect(withdrawn.wakeUp == F.at(39), "amplifier idles off 30 s later")
        #expect(machine.tick(now: F.at(10)).started.isEmpty)
        #expect(machine.nextWakeUp(after: F.at(39)) == F.at(498))
    }

    @Test func playEventJSONShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let events = [
            PlayoutEvent(at: Date(timeIntervalSince1970: 1), itemId: "a", kind: .dropped(reason: .busy)),
            PlayoutEvent(at: Date(timeIntervalSince1970: 2), itemId: "b", kind: .interrupted(atMs: 4_500, by: "c")),
            PlayoutEvent(at: Date(timeIntervalSince1970: 3), itemId: "d", kind: .started),
        ]
        let json = String(decoding: try encoder.encode(events), as: UTF8.self)
        #expect(json == #"[{"at":1000,"itemId":"a","kind":{"dropped":{"reason":"busy"}}},{"at":2000,"itemId":"b","kind":{"interrupted":{"atMs":4500,"by":"c"}}},{"at":3000,"itemId":"d","kind":{"started":{}}}]"#)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        #expect(try decoder.decode([PlayoutEvent].self, from: Data(json.utf8)) == events)
    }

    @Test func aYearOfPlaysSimulatesQuickly() throws {
        let schedule = GatewaySchedule(version: 1, entries: (0..<6).map { F.entry("e\($0)", .daily, 6 + 2 * $0, 0, seconds: 600) })
        let year = DateInterval(start: F.hanoiTime(2027, 1, 1, 0, 0), end: F.hanoiTime(2028, 1, 1, 0, 0))
        let clock = ContinuousClock()
        var result = SimulationResult()
        let elapsed = try clock.measure { result = try PlayoutSimulation().run(schedule: schedule, interval: year) }
        #expect(result.segments.count == 6 * 365)
        #expect(result.amplifier.count == 2 * 6 * 365)
        #expect(elapsed < .seconds(10))
    }
}
