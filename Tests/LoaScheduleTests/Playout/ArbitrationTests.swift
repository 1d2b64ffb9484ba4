import Foundation
import Testing
@testable import LoaSchedule

/// Priority rules, with no amplifier pre-roll so sound starts when an item is due.
@Suite struct ArbitrationTests {
    typealias F = Fixture
    static let instant = PlayoutConfiguration(amplifierPreRollMs: 0, amplifierIdleOffMs: 30_000)

    /// A machine playing `current` since t0.
    static func playing(_ current: PlayItem) -> PlayoutStateMachine {
        var machine = PlayoutStateMachine(configuration: instant)
        _ = machine.itemDue(current, now: F.at(0))
        return machine
    }

    @Test func higherPriorityPreemptsAndTheInterruptedItemResumesFromItsPosition() {
        let bulletin = F.item("ban-tin", .scheduled, seconds: 300, kind: .scheduled)
        let warning = F.item("bao-lu", .emergency, due: 100, seconds: 60)
        var machine = Self.playing(bulletin)

        let cut = machine.itemDue(warning, now: F.at(100))
        #expect(cut.commands == [.stop(itemId: "ban-tin", reason: .preempted), .start(warning, fromMs: 0)])
        #expect(cut.logged == [.interrupted(atMs: 100_000, by: "bao-lu"), .started])
        #expect(machine.waitingItemIds == ["ban-tin"])

        let back = machine.itemFinished("bao-lu", positionMs: 60_000, now: F.at(160))
        #expect(back.commands == [.start(bulletin, fromMs: 100_000)])
        #expect(back.logged == [.finished(atMs: 60_000), .resumed(fromMs: 100_000)])
    }

    /// A player that came out late (or was starved) says where the speaker was cut; the resume
    /// starts there, not 100 s after the item took the gateway, and the log event says so.
    @Test func aResumeStartsWhereThePlayerSaysTheSpeakerWasCut() {
        let bulletin = F.item("ban-tin", .scheduled, seconds: 300, kind: .scheduled)
        var machine = Self.playing(bulletin)
        let cut = machine.itemDue(F.item("bao-lu", .emergency, due: 100, seconds: 60), now: F.at(100))
        #expect(cut.logged == [.interrupted(atMs: 100_000, by: "bao-lu"), .started])
        machine.cutSounded("ban-tin", atMs: 98_800)
        machine.cutSounded("bao-lu", atMs: 5_000)  // not waiting to resume: ignored
        let event = PlayoutEvent(at: F.at(100), itemId: "ban-tin", kind: .interrupted(atMs: 100_000, by: "bao-lu"))
        #expect(event.placingCut(atMs: 98_800).kind == .interrupted(atMs: 98_800, by: "bao-lu"))
        #expect(PlayoutEvent(at: F.at(1), itemId: "a", kind: .started).placingCut(atMs: 9).kind == .started)

        let back = machine.itemFinished("bao-lu", positionMs: 60_000, now: F.at(160))
        #expect(back.commands == [.start(bulletin, fromMs: 98_800)])
        #expect(back.logged == [.finished(atMs: 60_000), .resumed(fromMs: 98_800)])
    }

    @Test(arguments: [
        (OnInterrupt.resume, [PlayoutAction.start(F.item("a", 60, seconds: 300, onInterrupt: .resume), fromMs: 100_000)],
         [PlayoutEvent.Kind.finished(atMs: 60_000), .resumed(fromMs: 100_000)]),
        (.restart, [.start(F.item("a", 60, seconds: 300, onInterrupt: .restart), fromMs: 0)], [.finished(atMs: 60_000), .restarted]),
        (.drop, [], [.finished(atMs: 60_000)]),
    ] as [(OnInterrupt, [PlayoutAction], [PlayoutEvent.Kind])])
    func onInterruptDecidesWhatHappensAfterTheHigherItem(policy: OnInterrupt, after: [PlayoutAction], logs: [PlayoutEvent.Kind]) {
        var machine = Self.playing(F.item("a", 60, seconds: 300, onInterrupt: policy))
        let cut = machine.itemDue(F.item("b", .announcement, due: 100), now: F.at(100))
        #expect(cut.logged.first == .interrupted(atMs: 100_000, by: "b"))
        if policy == .drop { #expect(cut.logged.contains(.dropped(reason: .interrupted))) }
        let end = machine.itemFinished("b", positionMs: 60_000, now: F.at(160))
        #expect(end.commands == after)
        #expect(end.logged == logs)
    }

    @Test(arguments: [
        // (newcomer priority, onBusy) → (what the newcomer does, is it waiting)
        (Priority(rawValue: 120), OnBusy.preempt, [PlayoutEvent.Kind](), true),
        (120, .queue, [], true),
        (120, .drop, [.dropped(reason: .busy)], false),
        (100, .preempt, [], true),
        (100, .drop, [.dropped(reason: .busy)], false),
        (200, .queue, [], true),
        (200, .drop, [.dropped(reason: .busy)], false),
    ] as [(Priority, OnBusy, [PlayoutEvent.Kind], Bool)])
    func busyGatewayWithoutPreemption(priority: Priority, onBusy: OnBusy, logs: [PlayoutEvent.Kind], waits: Bool) {
        var machine = Self.playing(F.item("a", 120))
        let actions = machine.itemDue(F.item("b", priority, due: 10, onBusy: onBusy), now: F.at(10))
        #expect(actions.commands.isEmpty, "equal or lower priority, or a non-preempting newcomer, never cuts 'a'")
        #expect(actions.logged == logs)
        #expect(machine.currentItem?.id == "a")
        #expect(machine.waitingItemIds == (waits ? ["b"] : []))
    }

    @Test func waitingItemsStartInPriorityThenDueOrder() {
        var machine = Self.playing(F.item("khan-cap", .emergency, seconds: 600))
        for (id, priority, due) in [("x", 60, 10.0), ("y", 120, 20), ("z", 60, 5), ("w", 120, 15)] as [(String, Priority, Double)] {
            _ = machine.itemDue(F.item(id, priority, due: due, onBusy: .queue), now: F.at(due))
        }
        #expect(machine.waitingItemIds == ["w", "y", "z", "x"])
        var order: [String] = []
        var now = 600.0, current = "khan-cap"
        while true {
            let actions = machine.itemFinished(current, positionMs: 0, now: F.at(now))
            guard let next = actions.started.first else { break }
            order.append(next)
            current = next
            now += 60
        }
        #expect(order == ["w", "y", "z", "x"])
    }

    @Test func simultaneousArrivalsGoToTheHighestFirst() {
        var machine = PlayoutStateMachine(configuration: Self.instant)
        _ = machine.itemDue(F.item("low", 60, due: 10, onBusy: .drop), now: F.at(0))
        _ = machine.itemDue(F.item("high", 120, due: 10, onBusy: .drop), now: F.at(0))
        let actions = machine.tick(now: F.at(10))
        #expect(actions.started == ["high"])
        #expect(actions.logged == [.started, .dropped(reason: .busy)])
        #expect(actions.loggedIds == ["high", "low"])
    }

    @Test func waitingItemsExpireWithALogEventAtTheirExpiry() {
        var machine = Self.playing(F.item("a", 120, seconds: 60))
        let queued = machine.itemDue(F.item("tin", 100, due: 10, onBusy: .queue, expiresAfter: 20), now: F.at(10))
        #expect(queued.wakeUp == F.at(30))
        let expiry = machine.tick(now: F.at(30))
        #expect(expiry.logged == [.expired])
        #expect(machine.waitingItemIds.isEmpty)
        #expect(machine.itemFinished("a", positionMs: 60_000, now: F.at(60)).started.isEmpty)
    }

    @Test func aScheduledPlayTooLateIsMissedNotPlayedStale() {
        let occurrence = Occurrence(entryId: "sang", start: F.at(0), durationMs: 120_000, repeatIndex: 0,
                                    content: F.content(seconds: 120), priority: .scheduled, onBusy: .queue, onInterrupt: .resume)
        var machine = Self.playing(F.item("live", .live, seconds: nil))
        _ = machine.itemDue(occurrence.playItem(), now: F.at(0))
        #expect(machine.tick(now: F.at(120)).logged == [.missed])
        // Handed in after its tolerance has passed: missed at once.
        var fresh = PlayoutStateMachine(configuration: Self.instant)
        #expect(fresh.itemDue(occurrence.playItem(lateToleranceMs: 5_000), now: F.at(6)).logged == [.missed])
        // Within tolerance it plays from the start, late.
        #expect(fresh.itemDue(occurrence.playItem(), now: F.at(6)).commands.contains(.start(occurrence.playItem(), fromMs: 0)))
    }

    @Test func stopCutsThePlayingItemOrRemovesAWaitingOne() {
        var machine = Self.playing(F.item("a", 120))
        _ = machine.itemDue(F.item("b", 60, due: 5), now: F.at(5))
        _ = machine.itemDue(F.item("c", 60, due: 500), now: F.at(5))
        let waitingStop = machine.stop("b", now: F.at(10))
        #expect(waitingStop.commands.isEmpty && waitingStop.logged == [.dropped(reason: .stopped)])
        #expect(machine.stop("c", now: F.at(11)).logged == [.dropped(reason: .stopped)])
        let playingStop = machine.stop("a", now: F.at(12))
        #expect(playingStop.commands == [.stop(itemId: "a", reason: .stopped)])
        #expect(playingStop.logged == [.stopped(atMs: 12_000)])
        #expect(machine.currentItem == nil)
        #expect(machine.stop("nobody", now: F.at(13)).logged.isEmpty)
    }

    @Test func aStaleFinishReportIsIgnored() {
        var machine = Self.playing(F.item("a", 60))
        _ = machine.itemDue(F.item("b", 120, due: 5), now: F.at(5))
        #expect(machine.itemFinished("a", positionMs: 5_000, now: F.at(6)).logged.isEmpty)
        #expect(machine.currentItem?.id == "b")
    }
}
