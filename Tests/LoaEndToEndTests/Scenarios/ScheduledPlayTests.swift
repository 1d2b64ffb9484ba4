import Foundation
import Testing

/// Scenario 1: a schedule for a commune plays on every gateway there, on time, and each
/// loudspeaker gets exactly the decoded bulletin; a gateway in another commune plays nothing.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct ScheduledPlayTests {
    @Test func everyTargetedGatewayPlaysTheDecodedBulletinOnTimeAndOthersStaySilent() async throws {
        try await scenario("schedule") { system in
            try await system.start(communes: [("xa-tan-lap", ["xa-tan-lap-01", "xa-tan-lap-02"]), ("xa-an-hoa", ["xa-an-hoa-01"])])
            let all = ["xa-tan-lap-01", "xa-tan-lap-02", "xa-an-hoa-01"]
            try await system.waitOnline(all)
            let sha = try await system.bulletin("ban-tin-sang", seconds: 4, frequency: 440)
            let expected = try await system.decoded(sha)

            let (_, at) = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 12)
            let targeted = ["xa-tan-lap-01", "xa-tan-lap-02"]
            var log: [PlayRecord] = []
            let played = try await eventually(at.timeIntervalSinceNow + 60, every: .milliseconds(500)) {
                log = try await system.playLog()
                return targeted.allSatisfy { id in log.contains { $0.gatewayId == id && $0.kind == "finished" } }
            }
            #expect(played, "play log: \(log)\n\(targeted.map { system[$0].log.suffix(3000) })")

            for id in targeted {
                let events = log.filter { $0.gatewayId == id }
                #expect(events.map(\.kind) == ["started", "finished"], "\(id): \(events)")
                #expect(events.allSatisfy { $0.bulletin == sha }, "\(id): \(events)")
                // On time: the gateway says it started within 1 s of the scheduled second, and
                // sound reached its loudspeaker within 2 s (the pipe and the pacing add a little).
                if let started = events.first(where: { $0.kind == "started" })?.date {
                    #expect(abs(started.timeIntervalSince(at)) < 1.0, "\(id) started at \(started), scheduled \(at)")
                }
                let sink = system[id].sink
                #expect(await eventually(10) { sink.byteCount >= expected.count * 2 }, "\(id) played \(sink.byteCount) bytes")
                if let sound = sink.firstSoundAt {
                    #expect(sound.timeIntervalSince(at) > -0.5 && sound.timeIntervalSince(at) < 2.5, "\(id) sounded at \(sound), scheduled \(at)")
                } else {
                    Issue.record("\(id): no sound at all")
                }
                let output = sink.samples
                #expect(output.count == expected.count, "\(id): \(output.count) samples played, the bulletin decodes to \(expected.count)")
                #expect(AudioMatch.find(expected, in: output) != nil, "\(id): what it played is not the decoded bulletin")
            }

            // The other commune's gateway: nothing in the log, nothing out of its loudspeaker.
            try await Task.sleep(for: .seconds(2))
            #expect(system["xa-an-hoa-01"].sink.byteCount == 0, "xa-an-hoa-01 played \(system["xa-an-hoa-01"].sink.byteCount) bytes")
            #expect(try await system.playLog(gateway: "xa-an-hoa-01").isEmpty)
        }
    }
}
