import Foundation
import LoaAudio
import LoaSchedule
import Testing
@testable import LoaGateway

/// A program's items (one entry each, offset by the items before it) play back to back on a
/// paced output: the next item is written behind the last ~80 ms of the one before, so the
/// card never runs dry between them — no drain, no restart, no wait for a start instant.
@Suite struct BackToBackTests {
    @Test func aProgramsItemsFollowEachOtherWithoutAGapOnAPacedCard() throws {
        let directory = TemporaryDirectory("back-to-back")
        let state = try LocalState(root: directory.path, logger: .quiet)
        let bulletin = try TestBulletin.make(seconds: 1.2)
        try bulletin.store(in: state.cache)
        let output = PacedNullOutput(bufferTime: .milliseconds(200))
        let player = PlayerService(
            configuration: PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 30_000),
            clock: GatewayClock(), cache: state.cache, output: output,
            amplifier: NoAmplifier(), log: PlayLog(gatewayId: "xa-thu-01", outbox: state.outbox), logger: .quiet,
            startLead: PlayerService.defaultStartLead)
        let due = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.up) + 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: GatewaySchedule.defaultTimeZone)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: due)
        let entries = (0..<3).map { index in
            ScheduleEntry(id: "program-1.\(index + 1)", content: bulletin.content,
                          recurrence: .once(LocalDate(year: c.year!, month: c.month!, day: c.day!)),
                          time: LocalTime(hour: c.hour!, minute: c.minute!, second: c.second!),
                          offsetMs: Int64(index) * bulletin.content.durationMs)
        }
        player.post(.schedule(GatewaySchedule(version: 1, entries: entries)))
        player.start()
        defer { player.post(.shutdown) }
        let deadline = due.addingTimeInterval(3 * 1.2 + 5)
        while (try state.loggedEvents()).filter({ $0.kind == .finished }).count < 3, Date() < deadline { usleep(50_000) }
        let events = try state.loggedEvents()
        #expect(events.map(\.kind) == [.started, .finished, .started, .finished, .started, .finished], "\(events)")
        #expect(events.filter { $0.kind == .started }.map { String($0.itemId.prefix(11)) } == ["program-1.1", "program-1.2", "program-1.3"])
        #expect(abs(output.totalFramesWritten - 3 * bulletin.decodedFrames) < 3 * bulletin.decodedFrames / 200, "frames spliced in or out by the rate correction only")
        print("back to back: longest silence between writes \(output.longestGap), underruns \(output.underruns)")
        #expect(output.underruns == 0)
        #expect(output.longestGap < .milliseconds(20), "handed over with ~80 ms still queued, the card never runs dry; it went silent \(output.longestGap) between items")
    }
}
