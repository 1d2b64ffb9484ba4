import Foundation
import Testing
@testable import LoaSchedule

/// Amplifier timing with the defaults: on 2 s before sound, off after 30 s idle.
@Suite struct AmplifierTests {
    typealias F = Fixture

    @Test func itemHandedInAheadGetsThePreRollBeforeItsDueTime() {
        var machine = PlayoutStateMachine()
        let item = F.item("a", 60, due: 10)
        let handedIn = machine.itemDue(item, now: F.at(0))
        #expect(handedIn == [.wakeUp(at: F.at(8))])
        #expect(machine.tick(now: F.at(8)) == [.amplifier(on: true), .wakeUp(at: F.at(10))])
        let due = machine.tick(now: F.at(10))
        #expect(due.commands == [.start(item, fromMs: 0)])
        #expect(due.wakeUp == nil)
    }

    @Test func itemArrivingNowWithTheAmplifierOffWaitsThePreRoll() {
        var machine = PlayoutStateMachine()
        let item = F.item("now", .announcement)
        let arrival = machine.itemDue(item, now: F.at(0))
        #expect(arrival == [.amplifier(on: true), .wakeUp(at: F.at(2))])
        #expect(machine.currentItem == item)
        let sound = machine.tick(now: F.at(2))
        #expect(sound == [.start(item, fromMs: 0), .log(PlayoutEvent(at: F.at(2), itemId: "now", kind: .started))])
    }

    @Test func offAfterTheIdleDelayAndOnlyThen() {
        var machine = PlayoutStateMachine()
        _ = machine.itemDue(F.item("a", 60, due: 10), now: F.at(0))
        _ = machine.tick(now: F.at(8))
        _ = machine.tick(now: F.at(10))
        let end = machine.itemFinished("a", positionMs: 60_000, now: F.at(70))
        #expect(end.amplifier.isEmpty)
        #expect(end.wakeUp == F.at(100))
        #expect(machine.tick(now: F.at(99)).amplifier.isEmpty)
        #expect(machine.tick(now: F.at(100)) == [.amplifier(on: false)])
        #expect(!machine.isAmplifierOn)
    }

    @Test func notSwitchedOffBetweenBackToBackItems() {
        let config = PlayoutConfiguration()
        let items = [F.item("a", 60, due: 10, seconds: 60), F.item("b", 60, due: 70, seconds: 60),
                     F.item("c", 60, due: 150, seconds: 60), F.item("d", 60, due: 300, seconds: 60)]
        let result = PlayoutSimulation(configuration: config).run(items: items, interval: DateInterval(start: F.at(0), end: F.at(1000)))
        #expect(result.amplifier == [
            AmplifierSwitch(at: F.at(8), on: true),      // a, b, c: gaps shorter than 30 s idle + 2 s pre-roll
            AmplifierSwitch(at: F.at(240), on: false),   // c ends 210, off 30 s later
            AmplifierSwitch(at: F.at(298), on: true),    // d
            AmplifierSwitch(at: F.at(390), on: false),
        ])
        #expect(result.segments.map(\.start) == [F.at(10), F.at(70), F.at(150), F.at(300)])
    }

    @Test func anItemDueInsideTheIdleDelayKeepsTheAmplifierOn() {
        var machine = PlayoutStateMachine()
        _ = machine.itemDue(F.item("a", 60, seconds: 10), now: F.at(0))
        _ = machine.tick(now: F.at(2))
        _ = machine.itemDue(F.item("b", 60, due: 40, seconds: 10), now: F.at(5))
        let end = machine.itemFinished("a", positionMs: 10_000, now: F.at(12))
        #expect(end.wakeUp == F.at(38))
        #expect(machine.tick(now: F.at(38)).amplifier.isEmpty)
        #expect(machine.tick(now: F.at(40)).started == ["b"])
        #expect(machine.tick(now: F.at(42)).amplifier.isEmpty, "the idle timer set at 12 s was cancelled")
    }

    @Test func preemptionDuringWarmUpSwapsTheItemWithoutALog() {
        var machine = PlayoutStateMachine()
        _ = machine.itemDue(F.item("low", 60), now: F.at(0))
        let swap = machine.itemDue(F.item("high", .emergency), now: F.at(1))
        #expect(swap.logged.isEmpty && swap.commands.isEmpty)
        #expect(machine.currentItem?.id == "high")
        #expect(machine.tick(now: F.at(2)).started == ["high"])
        #expect(machine.waitingItemIds == ["low"])
    }
}
