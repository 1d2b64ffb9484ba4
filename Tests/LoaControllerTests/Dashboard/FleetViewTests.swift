import Foundation
import LoaProtocol
import Testing
@testable import LoaController

/// The fleet view's pure parts: a gateway's condition from its link and report, the counts per
/// area rolled up the tree, and the change hub's coalescing, overflow and close.
@Suite struct FleetViewTests {
    @Test func aGatewaysConditionIsTheWorstOfItsLinkAndReport() {
        var report = HealthReport()
        #expect(GatewayCondition(online: false, report: nil) == .offline)
        #expect(GatewayCondition(online: true, report: nil) == .online)
        #expect(GatewayCondition(online: true, report: report) == .online)
        report.nowPlaying = "rule-1@1796106600#0"
        #expect(GatewayCondition(online: true, report: report) == .playing)
        #expect(GatewayCondition(online: false, report: report) == .offline, "an offline gateway's last report says nothing now")
        report.temperatureCelsius = 69.9
        #expect(GatewayCondition(online: true, report: report) == .playing)
        report.temperatureCelsius = 70
        #expect(GatewayCondition(online: true, report: report) == .faulty, "a fault outranks playing")
        #expect(GatewayCondition.faults(of: report) == ["temperature 70.0 °C"])

        var disk = HealthReport()
        disk.diskFreeBytes = 2 * 1024 * 1024 * 1024
        disk.diskTotalBytes = 16 * 1024 * 1024 * 1024
        #expect(GatewayCondition(online: true, report: disk) == .online)
        disk.diskFreeBytes = 1_500 * 1024 * 1024  // 1.5 GiB of 16 GiB is 9 %
        #expect(GatewayCondition(online: true, report: disk) == .faulty)
        disk.diskTotalBytes = nil
        disk.diskFreeBytes = 199 * 1024 * 1024
        #expect(GatewayCondition(online: true, report: disk) == .faulty)

        var sound = HealthReport()
        for (state, faulty) in [("RUNNING", false), ("PREPARED", false), ("XRUN", true), ("suspended", true), ("DISCONNECTED", true)] {
            sound.alsaState = state
            #expect((GatewayCondition(online: true, report: sound) == .faulty) == faulty, "\(state)")
        }
        #expect(GatewayCondition.allCases.sorted() == [.offline, .faulty, .playing, .online])
    }

    @Test func countsRollUpTheTreeAndStopAtTheViewsRoot() {
        let areas: [(id: String, parentID: String?)] = [
            ("cam-xuyen", "ha-tinh"),  // the view's root: its parent is outside the view
            ("xa-tan-lap", "cam-xuyen"), ("xa-cam-binh", "cam-xuyen"), ("thon-1", "xa-tan-lap"),
        ]
        let summary = FleetSummary(areas: areas, gateways: [
            ("xa-tan-lap", .online), ("xa-tan-lap", .playing), ("thon-1", .offline),
            ("xa-cam-binh", .faulty), ("xa-cam-binh", .offline), ("xa-ky-phong", .online),  // the last is outside the view
        ])
        #expect(summary.counts["thon-1"] == .init(offline: 1))
        #expect(summary.counts["xa-tan-lap"] == .init(online: 1, offline: 1, playing: 1))
        #expect(summary.counts["xa-cam-binh"] == .init(offline: 1, faulty: 1))
        #expect(summary.counts["cam-xuyen"] == .init(online: 1, offline: 2, playing: 1, faulty: 1))
        #expect(summary.counts["cam-xuyen"]?.total == 5)
        #expect(summary.counts["ha-tinh"] == nil && summary.counts["xa-ky-phong"] == nil)

        // Parents that loop (a damaged store) end the walk instead of looping.
        let looped = FleetSummary(areas: [("a", "b"), ("b", "a")], gateways: [("a", .online)])
        #expect(looped.counts["a"]?.total == 1 && looped.counts["b"]?.total == 1)
    }

    @Test func aSubscriberReadsEachChangedGatewayOnceAndAResyncWhenItFallsBehind() async {
        let hub = FleetChanges()
        let subscription = hub.subscribe(limit: 3)
        #expect(hub.subscriberCount == 1)
        for id in ["a", "b", "a", "a"] { hub.publish(id) }
        #expect(await subscription.next() == .gateways(["a", "b"]))
        subscription.poke()
        #expect(await subscription.next() == .idle)
        for id in ["a", "b", "c", "d", "e"] { hub.publish(id) }
        #expect(await subscription.next() == .resync, "past its limit a reader is told to read everything again")
        hub.publish("f")
        #expect(await subscription.next() == .gateways(["f"]))

        // A reader waiting is woken by the next change.
        async let woken = subscription.next()
        try? await Task.sleep(for: .milliseconds(50))
        hub.publish("g")
        #expect(await woken == .gateways(["g"]))

        let other = hub.subscribe()
        hub.unsubscribe(subscription)
        #expect(await subscription.next() == nil)
        hub.publish("h")
        #expect(await other.next() == .gateways(["h"]), "the other subscriber still reads")
        async let ended = other.next()
        try? await Task.sleep(for: .milliseconds(50))
        hub.close()
        #expect(await ended == nil, "closing the hub ends a waiting reader")
        #expect(await hub.subscribe().next() == nil, "a closed hub takes no new subscriber")
        #expect(hub.subscriberCount == 0)
    }
}
