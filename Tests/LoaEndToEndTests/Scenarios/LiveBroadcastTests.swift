import Foundation
import LoaAudio
import Testing

/// Scenario: the central office goes live. A studio encoder (ffmpeg, pushing 44.1 kHz stereo
/// MP3 over HTTP PUT as Icecast source clients do) feeds a live stream created for a commune;
/// the controller transcodes it and fans it out; both gateways of the commune play it, in step,
/// and log it started and finished; the stream ends when the encoder stops.
@Suite(.enabled(if: Built.available, "loa-controller, loa-gateway and loactl must be built beside the tests"))
struct LiveBroadcastTests {
    @Test func aLiveBroadcastFromAnEncoderPlaysInStepOnEveryGatewayOfTheCommune() async throws {
        try await scenario("live") { system in
            let ids = ["xa-tan-lap-01", "xa-tan-lap-02"]
            try await system.start(communes: [("xa-tan-lap", ids)])
            try await system.waitOnline(ids)

            // The encoder's input: 8 s of a 660 Hz tone at 44.1 kHz stereo (not the deployment's format).
            let seconds = 8.0
            let format = AudioFormat(sampleRate: 44_100, channels: 2)
            let samples = (0..<Int(seconds * 44_100)).flatMap { i -> [Float] in
                let value = Float(0.4 * sin(2 * Double.pi * 660 * Double(i) / 44_100))
                return [value, value]
            }
            let source = system.scratch.file("studio.wav")
            try Data(WAVFile(audio: PCMBuffer(format: format, samples: samples)).encoded()).write(to: URL(fileURLWithPath: source))

            let created = try await system.api.call("POST", "/api/v1/live", json: ["areaId": "xa-tan-lap", "title": "Trực tiếp: họp dân"])
            try #require(created.status == 201, "\(created)")
            let json = try #require(created.json)
            let id = try #require(json["id"].map { "\($0)" })
            let sourcePath = try #require(json["sourcePath"] as? String)
            let key = try #require(json["sourceKey"] as? String)
            #expect(json["itemId"] as? String == "live-\(id)")

            let target = "http://source:\(key)@127.0.0.1:\(system.controller.httpPort)\(sourcePath)"
            let encoder = try ChildProcess("/usr/bin/ffmpeg", [
                "-hide_banner", "-loglevel", "error", "-re", "-i", source,
                "-c:a", "libmp3lame", "-b:a", "64k", "-content_type", "audio/mpeg", "-f", "mp3",
                "-method", "PUT", "-auth_type", "basic", target,
            ], stdout: system.scratch.file("ffmpeg.out"), stderr: system.scratch.file("ffmpeg.err"))
            let status = await encoder.waitForExit(seconds: 60)
            #expect(status == 0, "ffmpeg: \(String(describing: status)) \(encoder.stderr)")

            // The play log: started, then finished, on both gateways. A dry spell shorter than the
            // grace (a loaded machine) is logged as interrupted/resumed in between, and is allowed.
            var log: [PlayRecord] = []
            let done = try await eventually(40, every: .milliseconds(500)) {
                log = try await system.playLog()
                return ids.allSatisfy { gateway in
                    let kinds = log.filter { $0.gatewayId == gateway && $0.itemId == "live-\(id)" }.map(\.kind)
                    return kinds.first == "started" && kinds.last == "finished"
                        && kinds.dropFirst().dropLast().allSatisfy { $0 == "interrupted" || $0 == "resumed" }
                }
            }
            let gatewayLogs = ids.map { "\($0):\n\(system[$0].log.suffix(3000))" }.joined(separator: "\n")
            #expect(done, "play log: \(log)\n\(gatewayLogs)")

            let stream = try await system.api.call("GET", "/api/v1/live/\(id)")
            #expect(stream.json?["state"] as? String == "ended", "\(stream)")
            #expect(stream.json?["endReason"] as? String == "source ended", "\(stream)")

            // What the loudspeakers played: the tone, nearly all of it, at 24 kHz mono.
            for gateway in ids {
                let output = system[gateway].sink.samples.map { Float($0) / 32_768 }
                let sounding = output.filter { abs($0) > 0.05 }.count
                #expect(Double(sounding) > 0.6 * seconds * 24_000, "\(gateway) played \(sounding) loud samples")
                if let start = output.firstIndex(where: { abs($0) > 0.05 }), start + 24_000 <= output.count {
                    let second = Array(output[start + 2_400..<start + 24_000])
                    let frequency = Spectrum.dominantFrequency(second, sampleRate: 24_000)
                    #expect(abs(frequency - 660) < 15, "\(gateway) played \(frequency) Hz")
                }
            }
            // In step: both loudspeakers started sounding together (the same presentation time).
            if let a = system[ids[0]].sink.firstSoundAt, let b = system[ids[1]].sink.firstSoundAt {
                // The sinks' own resolution: a one-page pipe (~40 ms) read every 10 ms, on a shared machine.
                print("live: first sounds \(Int((a.timeIntervalSince(b) * 1000).rounded())) ms apart")
                #expect(abs(a.timeIntervalSince(b)) < 0.2, "first sound \(a) vs \(b)")
            } else {
                Issue.record("a loudspeaker never sounded")
            }
        }
    }
}

/// The strongest frequency of a short signal, by a plain DFT scan in 1 Hz steps around speech
/// and tone frequencies (enough for a test; no FFT library).
enum Spectrum {
    static func dominantFrequency(_ samples: [Float], sampleRate: Int, range: ClosedRange<Int> = 100...2_000) -> Double {
        var best = (frequency: 0, power: -1.0)
        let n = min(samples.count, 4_800)
        for f in stride(from: range.lowerBound, through: range.upperBound, by: 5) {
            var re = 0.0, im = 0.0
            let w = 2 * Double.pi * Double(f) / Double(sampleRate)
            for i in 0..<n {
                re += Double(samples[i]) * cos(w * Double(i))
                im -= Double(samples[i]) * sin(w * Double(i))
            }
            let power = re * re + im * im
            if power > best.power { best = (f, power) }
        }
        return Double(best.frequency)
    }
}
