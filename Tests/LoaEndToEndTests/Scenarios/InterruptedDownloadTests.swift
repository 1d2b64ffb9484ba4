import Foundation
import Testing

/// Scenario 4: a gateway killed (-9) in the middle of downloading a big bulletin (small
/// chunks) resumes from the offset it had on disk when it comes back, and plays only the
/// complete, verified file: its loudspeaker gets every sample of the decoded bulletin, once.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct InterruptedDownloadTests {
    @Test func aGatewayKilledMidDownloadResumesFromItsOffsetAndNeverPlaysAPartialFile() async throws {
        try await scenario("download", chunkBytes: 1024) { system in
            system.sinkSpeed = 40  // five minutes of audio come out in ~8 s
            let id = "xa-tan-lap-01"
            try await system.start(communes: [("xa-tan-lap", [id])], startGateways: false)
            let sha = try await system.bulletin("ban-tin-dai-5-phut", seconds: 300, frequency: 330)
            let expected = try await system.decoded(sha)
            let size = try #require(try await system.loactl.json("bulletins", "show", sha) as? [String: Any])["byteSize"] as? Int
            let gateway = system[id]

            // Scheduled before the gateway starts, so its first session fetches the content.
            let (_, at) = try await system.schedule(sha, areas: ["xa-tan-lap"], inSeconds: 40)
            try gateway.start()
            var killedWith = 0
            let caught = await eventually(60, every: .milliseconds(3)) {
                if let partial = gateway.partialBytes(sha), partial >= 64 * 1024 {
                    killedWith = partial
                    return true
                }
                return false
            }
            await gateway.kill9()
            try #require(caught, "never saw a partial download of at least 64 KiB; log:\n\(gateway.log.suffix(3000))")
            let onDisk = gateway.partialBytes(sha) ?? 0
            try #require(!gateway.isCached(sha), "the download finished before the kill (\(killedWith) of \(size ?? -1) bytes seen)")
            #expect(onDisk >= killedWith && onDisk < (size ?? Int.max), "partial holds \(onDisk) bytes after the kill")
            #expect(gateway.sink.byteCount == 0, "played something while the file was partial")

            try gateway.start()
            let cached = await eventually(at.timeIntervalSinceNow - 1, every: .milliseconds(100)) { gateway.isCached(sha) }
            #expect(cached, "not downloaded before its time; log:\n\(gateway.log.suffix(3000))")
            // The second session asked for the rest, from a non-zero offset the first one reached.
            let offsets = gateway.log.components(separatedBy: "\n").filter { $0.contains("requesting content") }
                .compactMap { line in line.range(of: "offset=").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? -1 } }
            #expect(offsets.count >= 2 && offsets.first == 0, "requests: \(offsets)")
            if let resumed = offsets.last { #expect(resumed > 0 && resumed <= onDisk, "resumed at \(resumed), partial had \(onDisk)") }

            var log: [PlayRecord] = []
            let finished = try await eventually(at.timeIntervalSinceNow + 60, every: .milliseconds(500)) {
                log = try await system.playLog()
                return log.contains { $0.kind == "finished" }
            }
            #expect(finished, "play log: \(log)\n\(gateway.log.suffix(3000))")
            #expect(log.map(\.kind) == ["started", "finished"], "\(log)")
            let sink = gateway.sink
            _ = await eventually(10) { sink.byteCount >= expected.count * 2 }
            let output = sink.samples
            #expect(output.count == expected.count, "played \(output.count) samples; the bulletin decodes to \(expected.count)")
            #expect(output == expected, "the loudspeaker did not get the complete decoded bulletin")
        }
    }
}
