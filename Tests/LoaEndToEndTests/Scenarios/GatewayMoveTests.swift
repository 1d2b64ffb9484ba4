import Foundation
import Testing

/// Scenario 6: a gateway moved to another commune drops its old commune's schedule and plays
/// the new commune's.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct GatewayMoveTests {
    @Test func aMovedGatewayGetsTheOtherCommunesSchedule() async throws {
        try await scenario("move") { system in
            let moved = "xa-tan-lap-01", stays = "xa-an-hoa-01"
            try await system.start(communes: [("xa-tan-lap", [moved]), ("xa-an-hoa", [stays])])
            try await system.waitOnline([moved, stays])
            let oldBulletin = try await system.bulletin("ban-tin-tan-lap", seconds: 2, frequency: 440)
            let newBulletin = try await system.bulletin("ban-tin-an-hoa", seconds: 2, frequency: 660)
            let expectedNew = try await system.decoded(newBulletin)

            let old = try await system.schedule(oldBulletin, areas: ["xa-tan-lap"], inSeconds: 20)
            let new = try await system.schedule(newBulletin, areas: ["xa-an-hoa"], inSeconds: 26)
            func preview(_ id: String) async throws -> [String] {
                let items = try await system.loactl.json("schedule", "preview", "--gateway", id, "--from", "now", "--to", "+10m") as? [[String: Any]] ?? []
                return items.compactMap { $0["bulletin"] as? String }
            }
            #expect(try await preview(moved) == [oldBulletin], "before the move")

            try await system.loactl.ok("gateways", "move", moved, "--area", "xa-an-hoa")
            #expect(try await preview(moved) == [newBulletin], "after the move")
            let status = try await system.gatewayStatus()
            #expect(status[moved]?["areaId"] as? String == "xa-an-hoa")

            var log: [PlayRecord] = []
            let played = try await eventually(new.at.timeIntervalSinceNow + 40, every: .milliseconds(500)) {
                log = try await system.playLog()
                return [moved, stays].allSatisfy { id in log.contains { $0.gatewayId == id && $0.kind == "finished" } }
            }
            #expect(played, "play log: \(log)\n\(system[moved].log.suffix(3000))")
            #expect(old.at < Date(), "the old commune's time has passed")
            for id in [moved, stays] {
                let events = log.filter { $0.gatewayId == id }
                #expect(events.map(\.kind) == ["started", "finished"] && events.allSatisfy { $0.bulletin == newBulletin }, "\(id): \(events)")
                // "finished" is logged once the last write is in the pipe; the paced reader takes up
                // to a pipe's worth (~85 ms) longer to hear it.
                let sink = system[id].sink
                _ = await eventually(5) { sink.byteCount >= expectedNew.count * 2 }
                let output = sink.samples
                #expect(output.count == expectedNew.count && AudioMatch.find(expectedNew, in: output) != nil,
                        "\(id) played \(output.count) samples, not (only) the new commune's bulletin (\(expectedNew.count))")
            }
        }
    }
}
