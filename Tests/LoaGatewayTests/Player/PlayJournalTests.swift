import Foundation
import LoaProtocol
import LoaSchedule
import Testing
@testable import LoaGateway

/// The journal's state machine, its table and the event ids derived from it.
@Suite struct PlayJournalTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func run(_ steps: [PlayTransition]) -> [Bool] {
        var entry: PlayJournalEntry?
        return steps.map { step in
            guard let next = PlayJournalEntry.next(entry, itemId: "x", transition: step, at: Self.t0) else { return false }
            entry = next
            return true
        }
    }

    @Test func acceptsOneLifeAndRefusesWhatFollowsItsEnd() {
        #expect(run([.started, .interrupted, .started, .finished]) == [true, true, true, true])
        #expect(run([.started, .finished, .finished]) == [true, true, false], "a resent terminal")
        #expect(run([.dropped, .dropped, .dropped]) == [true, false, false], "the doubled `dropped` of the report")
        #expect(run([.started, .interrupted, .started, .started, .finished]) == [true, true, true, true, true],
                "a live item's source restored, then the item restarted")
        #expect(run([.started, .interrupted, .interrupted, .missed]) == [true, true, true, true], "a live item's loss, then its grace's end")
        #expect(run([.missed, .started]) == [true, false])
        #expect(run([.started, .failed, .finished]) == [true, true, false])
    }

    @Test func countsStepsAndRemembersWhereSoundStarted() throws {
        let started = try #require(PlayJournalEntry.next(nil, itemId: "x", transition: .started, at: Self.t0, fromMs: 2_000, durationMs: 8_000))
        #expect(started.transitions == 1 && started.startedAt == Self.t0 && started.fromMs == 2_000)
        #expect(started.offsetReached(lastAlive: Self.t0 + 3.5) == 5_500)
        #expect(started.offsetReached(lastAlive: Self.t0 + 60) == 8_000, "never past the item's end")
        #expect(started.offsetReached(lastAlive: Self.t0 - 5) == 2_000, "a mark from before the start")
        #expect(started.offsetReached(lastAlive: nil) == 2_000)
        let cut = try #require(PlayJournalEntry.next(started, itemId: "x", transition: .interrupted, at: Self.t0 + 1))
        #expect(cut.transitions == 2 && cut.startedAt == Self.t0 && cut.durationMs == 8_000)
    }

    @Test func derivesStableVersion8EventIds() {
        let a = PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1800000000#0", transition: .started, sequence: 0)
        #expect(a == PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1800000000#0", transition: .started, sequence: 0))
        #expect(a != PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1800000000#0", transition: .started, sequence: 2))
        #expect(a != PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1800000000#1", transition: .started, sequence: 0))
        #expect(a != PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1800000000#0", transition: .finished, sequence: 0))
        #expect(a != PlayEventID.derive(gatewayId: "xa-thu-02", itemId: "sang@1800000000#0", transition: .started, sequence: 0),
                "every gateway of an area plays the same occurrence")
        let text = a.uuidString
        // docs/PROTOCOL.md's example, computed independently (Python's hashlib and uuid).
        #expect(text == "2FC6C291-56AD-86E0-9121-7AFEE06C1E81")
        #expect(text.count == 36)
        #expect(Array(text)[14] == "8", "version nibble")
        #expect("89AB".contains(Array(text)[19]), "RFC 9562 variant")
    }

    @Test func journalsAndQueuesInOneStepAndSurvivesReopening() throws {
        let directory = TemporaryDirectory("journal")
        let path = directory.path + "/outbox.sqlite"
        do {
            let log = PlayLog(gatewayId: "xa-thu-01", outbox: try Outbox(path: path))
            let started = try #require(try log.record(PlayoutEvent(at: Self.t0, itemId: "sang@1#0", kind: .started), durationMs: 8_000))
            #expect(started.id == PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1#0", transition: .started, sequence: 0).uuidString)
            #expect(try log.outbox.pendingCount() == 1)
        }
        // As after kill -9: a new process opens the file.
        let outbox = try Outbox(path: path)
        let open = try outbox.openJournalEntries()
        #expect(open.map(\.itemId) == ["sang@1#0"] && open.first?.durationMs == 8_000 && open.first?.startedAt == Self.t0)
        let log = PlayLog(gatewayId: "xa-thu-01", outbox: outbox)
        let finished = try #require(try log.record(PlayoutEvent(at: Self.t0 + 8, itemId: "sang@1#0", kind: .finished(atMs: 8_000))))
        #expect(finished.id == PlayEventID.derive(gatewayId: "xa-thu-01", itemId: "sang@1#0", transition: .finished, sequence: 1).uuidString)
        #expect(try log.record(PlayoutEvent(at: Self.t0 + 9, itemId: "sang@1#0", kind: .finished(atMs: 8_000))) == nil)
        #expect(try outbox.openJournalEntries().isEmpty)
        #expect(try outbox.journalEntries(["sang@1#0", "other"]).mapValues(\.state) == ["sang@1#0": .finished])
        #expect(try outbox.pendingCount() == 2)
        // Acknowledging the events leaves the journal: a resend re-derived later is still refused.
        try outbox.acknowledge(try outbox.pending().map(\.id))
        #expect(try log.record(PlayoutEvent(at: Self.t0 + 9, itemId: "sang@1#0", kind: .missed)) == nil)
        #expect(try outbox.pruneJournal(before: Self.t0) == 0)
        #expect(try outbox.pruneJournal(before: .distantFuture) == 1)
    }

    @Test func aFailedPlayIsItsOwnTerminal() throws {
        let log = PlayLog(gatewayId: "xa-thu-01", outbox: try Outbox(path: ":memory:"))
        try log.record(PlayoutEvent(at: Self.t0, itemId: "a", kind: .started))
        #expect(try log.failed(itemId: "a", at: Self.t0, reason: "content not cached")?.kind == .failed)
        #expect(try log.failed(itemId: "a", at: Self.t0, reason: "again") == nil)
    }

    @Test func aliveMarkRoundTripsAndOverwritesInPlace() throws {
        let directory = TemporaryDirectory("alive")
        let mark = AliveMark(stateDirectory: directory.path)
        #expect(mark.load() == nil)
        #expect(mark.write(Date(timeIntervalSince1970: 1_800_000_123.456)))
        #expect(mark.write(Date(timeIntervalSince1970: 9.5)))
        #expect(AliveMark(stateDirectory: directory.path).load() == Date(timeIntervalSince1970: 9.5))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: mark.path))
        #expect(AliveMark(stateDirectory: directory.path).load() == nil)
    }
}
