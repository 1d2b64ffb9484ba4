import Foundation
import Testing
@testable import LoaSchedule

/// Live source loss and the fallback grace (default 5 s).
@Suite struct LiveSourceTests {
    typealias F = Fixture
    static let config = PlayoutConfiguration(amplifierPreRollMs: 0)
    static let live = F.item("truc-tiep", .live, due: 10, seconds: nil, kind: .live)
    static let bulletin = F.item("ban-tin", .scheduled, seconds: 300, kind: .scheduled)

    /// The bulletin plays from t0; the live broadcast preempts it at 10 s.
    static func liveOverBulletin() -> PlayoutStateMachine {
        var machine = PlayoutStateMachine(configuration: config)
        _ = machine.itemDue(bulletin, now: F.at(0))
        _ = machine.itemDue(live, now: F.at(10))
        return machine
    }

    @Test(arguments: [0.5, 3.0, 4.999])
    func aGapShorterThanTheGraceDoesNotFallBack(gap: Double) {
        var machine = Self.liveOverBulletin()
        let lost = machine.liveSourceLost("truc-tiep", now: F.at(100))
        #expect(lost.commands.isEmpty && lost.logged == [.sourceLost])
        #expect(lost.wakeUp == F.at(105))
        let back = machine.liveSourceBack("truc-tiep", now: F.at(100 + gap))
        #expect(back.commands.isEmpty && back.logged == [.sourceRestored])
        #expect(machine.tick(now: F.at(105)).commands.isEmpty)
        #expect(machine.currentItem?.id == "truc-tiep")
    }

    @Test func aLongerGapFallsBackToTheInterruptedItem() {
        var machine = Self.liveOverBulletin()
        _ = machine.liveSourceLost("truc-tiep", now: F.at(100))
        let fallback = machine.tick(now: F.at(105))
        #expect(fallback.commands == [.stop(itemId: "truc-tiep", reason: .sourceLost), .start(Self.bulletin, fromMs: 10_000)])
        #expect(fallback.logged == [.interrupted(atMs: 95_000, by: nil), .resumed(fromMs: 10_000)])
        // The broadcaster comes back: live preempts the bulletin again.
        let back = machine.liveSourceBack("truc-tiep", now: F.at(130))
        #expect(back.commands == [.stop(itemId: "ban-tin", reason: .preempted), .start(Self.live, fromMs: 0)])
        #expect(back.logged == [.sourceRestored, .interrupted(atMs: 35_000, by: "truc-tiep"), .restarted])
    }

    @Test func theGraceIsConfigurable() {
        var machine = PlayoutStateMachine(configuration: PlayoutConfiguration(amplifierPreRollMs: 0, liveFallbackGraceMs: 1_000))
        _ = machine.itemDue(Self.live, now: F.at(10))
        #expect(machine.liveSourceLost("truc-tiep", now: F.at(20)).wakeUp == F.at(21))
        #expect(machine.tick(now: F.at(21)).commands == [.stop(itemId: "truc-tiep", reason: .sourceLost)])
    }

    @Test func theAmplifierStaysOnThroughAShortGap() {
        var machine = Self.liveOverBulletin()
        _ = machine.itemFinished("ban-tin", positionMs: 0, now: F.at(11))   // stale, ignored
        _ = machine.liveSourceLost("truc-tiep", now: F.at(100))
        #expect(machine.isAmplifierOn)
        #expect(machine.liveSourceBack("truc-tiep", now: F.at(103)).amplifier.isEmpty)
    }

    @Test func anOperatorStopEndsALiveItemWaitingForItsSource() {
        var machine = Self.liveOverBulletin()
        _ = machine.liveSourceLost("truc-tiep", now: F.at(100))
        _ = machine.tick(now: F.at(105))
        #expect(machine.stop("truc-tiep", now: F.at(110)).logged == [.dropped(reason: .stopped)])
        #expect(machine.liveSourceBack("truc-tiep", now: F.at(120)).logged.isEmpty)
    }
}

extension LiveSourceTests {
    @Test func aLiveItemPreemptedDuringItsGapWaitsForItsSource() {
        var machine = Self.liveOverBulletin()
        _ = machine.liveSourceLost("truc-tiep", now: F.at(100))
        let warning = F.item("bao-lu", .emergency, due: 102, seconds: 60)
        let cut = machine.itemDue(warning, now: F.at(102))
        #expect(cut.commands == [.stop(itemId: "truc-tiep", reason: .preempted), .start(warning, fromMs: 0)])
        // The emergency ends while the source is still gone: the bulletin resumes, not the live item.
        #expect(machine.itemFinished("bao-lu", positionMs: 60_000, now: F.at(162)).started == ["ban-tin"])
        let back = machine.liveSourceBack("truc-tiep", now: F.at(170))
        #expect(back.started == ["truc-tiep"])
    }
}
