import Foundation
import Testing
@testable import LoaSchedule

/// `streamEnded`: a live stream ended (`liveEnd`) while its item did not hold the gateway.
@Suite struct LiveStreamEndTests {
    typealias F = Fixture
    static let config = PlayoutConfiguration(amplifierPreRollMs: 0)

    @Test func aLiveItemCutBySourceLossLeavesWithoutAnotherEvent() {
        var machine = PlayoutStateMachine(configuration: Self.config)
        let live = F.item("live-7", .live, due: 10, seconds: nil, kind: .live)
        _ = machine.itemDue(live, now: F.at(10))
        _ = machine.liveSourceLost("live-7", now: F.at(20))
        _ = machine.tick(now: F.at(25))
        #expect(machine.currentItem == nil)
        #expect(machine.streamEnded("live-7", now: F.at(30)).logged.isEmpty)
        // Gone: its source coming back does not start it.
        #expect(machine.liveSourceBack("live-7", now: F.at(31)).started.isEmpty)
    }

    @Test func aLiveItemThatNeverSoundedIsLoggedExpired() {
        var machine = PlayoutStateMachine(configuration: Self.config)
        let emergency = F.item("bao-lu", .emergency, due: 0, seconds: 600)
        _ = machine.itemDue(emergency, now: F.at(0))
        let live = F.item("live-8", .live, due: 10, seconds: nil, kind: .live, onBusy: .queue)
        _ = machine.itemDue(live, now: F.at(10))
        #expect(machine.waitingItemIds == ["live-8"])
        #expect(machine.streamEnded("live-8", now: F.at(20)).logged == [.expired])
        #expect(machine.waitingItemIds.isEmpty)
        // Not yet due either.
        let later = F.item("live-9", .live, due: 100, seconds: nil, kind: .live)
        _ = machine.itemDue(later, now: F.at(20))
        #expect(machine.streamEnded("live-9", now: F.at(30)).logged == [.expired])
        #expect(machine.itemFinished("bao-lu", positionMs: 600_000, now: F.at(600)).started.isEmpty)
    }

    @Test func theItemHoldingTheGatewayIsLeftToFinish() {
        var machine = PlayoutStateMachine(configuration: Self.config)
        let live = F.item("live-7", .live, due: 10, seconds: nil, kind: .live)
        _ = machine.itemDue(live, now: F.at(10))
        #expect(machine.streamEnded("live-7", now: F.at(20)).commands.isEmpty)
        #expect(machine.currentItem?.id == "live-7")
        #expect(machine.itemFinished("live-7", positionMs: 10_000, now: F.at(20)).logged == [.finished(atMs: 10_000)])
    }
}
