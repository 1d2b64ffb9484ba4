import Foundation
import LoaSchedule
import Testing
@testable import LoaGateway

/// The ledger as a value: resends, progress from the play log, recovery after a restart, pruning.
struct AnnouncementLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func item(_ id: String = "announcement-7", onInterrupt: OnInterrupt = .resume, durationMs: Int64? = 30_000,
              due: Date = start, expiresIn: TimeInterval? = 3_600) -> PlayItem {
        PlayItem(id: id, kind: .announcement, content: String(repeating: "b", count: 64), priority: Priority(rawValue: 120),
                 durationMs: durationMs, onBusy: .preempt, onInterrupt: onInterrupt, due: due,
                 expiresAt: expiresIn.map { due.addingTimeInterval($0) })
    }

    func event(_ kind: PlayoutEvent.Kind, at seconds: TimeInterval, _ id: String = "announcement-7") -> PlayoutEvent {
        PlayoutEvent(at: Self.start.addingTimeInterval(seconds), itemId: id, kind: kind)
    }

    @Test func aResendIsRefusedWhateverBecameOfTheFirst() {
        var ledger = AnnouncementLedger()
        let isNew1 = ledger.receive(item())
        #expect(isNew1)
        let isNew2 = ledger.receive(item())
        #expect(!isNew2, "resent while waiting")
        let changed3 = ledger.observe(event(.started, at: 0))
        #expect(changed3)
        let isNew4 = ledger.receive(item())
        #expect(!isNew4, "resent while sounding")
        let changed5 = ledger.observe(event(.finished(atMs: 30_000), at: 30))
        #expect(changed5)
        let isNew6 = ledger.receive(item())
        #expect(!isNew6, "resent after it finished: the 4G flap case")
        let isNew7 = ledger.receive(item("announcement-8"))
        #expect(isNew7, "another announcement is new")
    }

    @Test func progressFollowsThePlayLog() {
        var ledger = AnnouncementLedger()
        _ = ledger.receive(item())
        let changed8 = ledger.observe(event(.started, at: 0, "someone-else"))
        #expect(!changed8, "events of other items are ignored")
        let changed9 = ledger.observe(event(.started, at: 0))
        #expect(changed9)
        #expect(ledger.entries["announcement-7"]?.progress == .sounding(since: Self.start, fromMs: 0))
        let changed10 = ledger.observe(event(.interrupted(atMs: 4_000, by: "live-3"), at: 4))
        #expect(changed10)
        #expect(ledger.entries["announcement-7"]?.progress == .cut(atMs: 4_000))
        let changed11 = ledger.observe(event(.resumed(fromMs: 4_000), at: 60))
        #expect(changed11)
        #expect(ledger.entries["announcement-7"]?.progress == .sounding(since: Self.start + 60, fromMs: 4_000))
        let changed12 = ledger.observe(event(.sourceLost, at: 61))
        #expect(!changed12)
        let changed13 = ledger.observe(event(.stopped(atMs: 9_000), at: 65))
        #expect(changed13)
        #expect(ledger.entries["announcement-7"]?.progress == .settled)
        let changed14 = ledger.observe(event(.started, at: 70))
        #expect(!changed14, "settled stays settled")

        for terminal: PlayoutEvent.Kind in [.dropped(reason: .busy), .expired, .missed, .finished(atMs: 1)] {
            var other = AnnouncementLedger()
            _ = other.receive(item())
            let changed = other.observe(event(terminal, at: 1))
            #expect(changed && other.entries["announcement-7"]?.progress == .settled, "\(terminal)")
        }
    }

    @Test func recoveryAfterARestartFollowsEachPolicy() {
        let now = Self.start + 10
        var ledger = AnnouncementLedger()
        // Waiting: handed in as received.
        _ = ledger.receive(item("a-waiting", due: Self.start + 100))
        // Sounding since the start: 10 s went by on the clock, plus the 2 s pre-roll to come.
        _ = ledger.receive(item("b-resume"))
        _ = ledger.observe(event(.started, at: 0, "b-resume"))
        _ = ledger.receive(item("c-restart", onInterrupt: .restart))
        _ = ledger.observe(event(.started, at: 0, "c-restart"))
        _ = ledger.receive(item("d-drop", onInterrupt: .drop))
        _ = ledger.observe(event(.started, at: 0, "d-drop"))
        // Cut at 4 s by a live stream, then the restart: resumes where it was cut, not on the clock.
        _ = ledger.receive(item("e-cut"))
        _ = ledger.observe(event(.started, at: 0, "e-cut"))
        _ = ledger.observe(event(.interrupted(atMs: 4_000, by: "live-1"), at: 4, "e-cut"))
        // Would have ended during the outage.
        _ = ledger.receive(item("f-over", durationMs: 5_000))
        _ = ledger.observe(event(.started, at: 0, "f-over"))
        // Settled: nothing.
        _ = ledger.receive(item("g-done"))
        _ = ledger.observe(event(.finished(atMs: 30_000), at: 5, "g-done"))

        let recovery = ledger.recovery(now: now, warmUpMs: 2_000)
        let byId = Dictionary(uniqueKeysWithValues: recovery.map { recovery -> (String, AnnouncementLedger.Recovery) in
            switch recovery {
            case .handIn(let item), .resume(let item, _), .drop(let item), .over(let item): return (item.id, recovery)
            }
        })
        #expect(recovery.count == 6)
        #expect(byId["a-waiting"] == .handIn(item("a-waiting", due: Self.start + 100)))
        #expect(byId["b-resume"] == .resume(item("b-resume"), fromMs: 12_000))
        #expect(byId["c-restart"] == .handIn(item("c-restart", onInterrupt: .restart)))
        #expect(byId["d-drop"] == .drop(item("d-drop", onInterrupt: .drop)))
        #expect(byId["e-cut"] == .resume(item("e-cut"), fromMs: 4_000))
        #expect(byId["f-over"] == .over(item("f-over", durationMs: 5_000)))
        #expect(byId["g-done"] == nil)
        let settled = ledger.settle("f-over"), settledAgain = ledger.settle("f-over")
        #expect(settled && !settledAgain)
    }

    @Test func forgetsOnlyWhatCanNoLongerBeResent() {
        var ledger = AnnouncementLedger()
        _ = ledger.receive(item("short", expiresIn: 60))
        _ = ledger.receive(item("open-ended", expiresIn: nil))
        let pruned15 = ledger.prune(now: Self.start + 60 + AnnouncementLedger.retention - 1)
        #expect(!pruned15, "inside the retention")
        let pruned16 = ledger.prune(now: Self.start + 60 + AnnouncementLedger.retention)
        #expect(pruned16)
        #expect(ledger.entries.keys.sorted() == ["open-ended"])
        let pruned17 = ledger.prune(now: Self.start + AnnouncementLedger.openEndedRetention + AnnouncementLedger.retention)
        #expect(pruned17)
        #expect(ledger.entries.isEmpty)
    }

    @Test func theStoreKeepsTheLedgerAcrossOpensAndSetsADamagedFileAside() throws {
        let directory = TemporaryDirectory("ledger")
        let store = AnnouncementStore(stateDirectory: directory.path)
        #expect(try store.load() == AnnouncementLedger(), "no file yet: empty")
        var ledger = AnnouncementLedger()
        _ = ledger.receive(item())
        _ = ledger.observe(event(.interrupted(atMs: 1_234, by: nil), at: 2))
        try store.save(ledger)
        // A temp file left by a crash between write and rename is removed at the next open.
        let stray = store.path + ".4242.7.tmp"
        FileManager.default.createFile(atPath: stray, contents: Data("{\"entr".utf8))
        let reopened = AnnouncementStore(stateDirectory: directory.path)
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(try reopened.load() == ledger)

        try Data("{\"entries\": [1, 2".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect {
            try reopened.load()
        } throws: { error in
            "\(error)".contains(store.path) && "\(error)".contains("kept as \(store.path).damaged")
        }
        #expect(FileManager.default.fileExists(atPath: store.path + ".damaged"))
        #expect(try reopened.load() == AnnouncementLedger(), "set aside: the next start begins afresh")
    }
}
