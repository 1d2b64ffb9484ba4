import Foundation
import Testing

/// Scenario 3: the controller dies (kill -9) between two scheduled plays; the gateways play
/// their schedule on their own; when the controller is back every as-played event reaches it
/// exactly once (none lost, none doubled), with the time it really happened.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct ControllerOutageTests {
    @Test func gatewaysPlayThroughAControllerCrashAndEveryEventArrivesOnce() async throws {
        try await scenario("outage") { system in
            let ids = ["xa-tan-lap-01", "xa-tan-lap-02"]
            try await system.start(communes: [("xa-tan-lap", ids)])
            try await system.waitOnline(ids)
            let sha = try await system.bulletin("ban-tin-ngan", seconds: 2, frequency: 523)
            let expected = try await system.decoded(sha)

            let first = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 12)
            let second = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 24)
            let third = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 30)

            // The first play is reported while the controller is up …
            var log: [PlayRecord] = []
            let firstReported = try await eventually(first.at.timeIntervalSinceNow + 40, every: .milliseconds(300)) {
                log = try await system.playLog()
                return log.filter { $0.kind == "finished" }.count == 2
            }
            try #require(firstReported, "first play not reported: \(log)")
            // … then the controller is killed, well before the second.
            await system.controller.kill9()
            let killedAt = Date()
            try #require(killedAt < second.at.addingTimeInterval(-2), "too slow to kill before the second play (\(killedAt) vs \(second.at))")

            // Both gateways play the second and third from their own schedule and cache.
            for id in ids {
                let sink = system[id].sink
                let playedAll = await eventually(third.at.timeIntervalSinceNow + 30) { sink.byteCount >= 3 * expected.count * 2 }
                #expect(playedAll, "\(id) played \(sink.byteCount) bytes without the controller, want \(3 * expected.count * 2)\n\(system[id].log.suffix(3000))")
            }
            #expect(system.controller.process?.isRunning == false)

            // The controller comes back; the gateways reconnect and deliver what they kept.
            try await system.controller.start()
            let delivered = try await eventually(90, every: .milliseconds(500)) {
                log = try await system.playLog()
                return log.count >= 12
            }
            #expect(delivered, "events after the restart: \(log)")
            try await Task.sleep(for: .seconds(3))  // any duplicate would arrive by now
            log = try await system.playLog()

            #expect(log.count == 12, "2 gateways × 3 plays × (started, finished), got \(log.count): \(log)")
            #expect(Set(log.map(\.eventId)).count == log.count, "an event id is stored twice")
            for id in ids {
                for (index, play) in [first, second, third].enumerated() {
                    // Each play's events carry the time it happened, not the time of delivery.
                    let events = log.filter { $0.gatewayId == id && ($0.date.map { abs($0.timeIntervalSince(play.at)) < 4 } ?? false) }
                    #expect(events.map(\.kind).sorted() == ["finished", "started"], "\(id) play \(index + 1): \(events)")
                }
            }
            #expect(!log.contains { ["missed", "failed", "dropped"].contains($0.kind) }, "\(log)")
        }
    }
}
