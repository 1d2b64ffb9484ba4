import Foundation
import LoaAudio
import LoaProtocol
import Testing
@testable import LoaGateway

/// A clock that moves only when the paced output sleeps: a 20 s item plays in a fraction of a
/// second, and a loaded test machine cannot make the card underrun. Starts on a whole second.
final class VirtualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero
    let epoch = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    var date: Date {
        let elapsed = lock.withLock { self.elapsed }
        return epoch.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    var pacing: PacedNullOutput.Clock {
        PacedNullOutput.Clock(now: { self.lock.withLock { self.elapsed } }, sleep: { duration in
            if duration > .zero { self.lock.withLock { self.elapsed += duration } }
        })
    }
}

/// The renderers hold a skewed card on the time line; an unpaced output gets exactly the
/// decoded sound, as before rate correction.
@Suite struct RateCorrectionRendererTests {
    final class Ending: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (BulletinRenderer.Outcome, Date)?
        func set(_ outcome: BulletinRenderer.Outcome, at: Date) { lock.withLock { value = (outcome, at) } }
        var result: (BulletinRenderer.Outcome, Date)? { lock.withLock { value } }
    }

    @Test(arguments: [500.0, -500.0])
    func aBulletinOnASkewedCardEndsOnTheTimeLine(skewPpm: Double) async throws {
        let clock = VirtualClock()
        let output = PacedNullOutput(bufferTime: .milliseconds(200), clock: clock.pacing, skewPpm: skewPpm)
        let status = TimelineStatus()
        let tone = TestTone(frequencyHz: 440, durationMs: 20_000)
        let startAt = clock.date
        let renderer = BulletinRenderer(itemId: "tone", source: .tone(tone), fromMs: 0, output: output, startAt: startAt,
                                        now: { clock.date }, timeline: status)
        let ending = Ending()
        // A bulletin reports finished with its last ~80 ms still queued (the next item is
        // written behind it): its last sample sounds when that has played.
        renderer.start { ending.set($0, at: clock.date.addingTimeInterval(output.measuredDelay() / 24_000 / (1 + skewPpm / 1e6))) }
        #expect(await poll(30, every: 20) { ending.result != nil })
        let (outcome, endedAt) = try #require(ending.result)
        #expect(outcome == .finished(positionMs: 20_000))
        #expect(output.delay() > 0 && output.delay() <= 2_000, "finished with \(output.delay()) frames queued, at most 80 ms' worth")
        // Uncorrected, 20 s at 500 ppm would end 10 ms early (fast) or late (slow).
        let offMs = (endedAt.timeIntervalSince(startAt) - 20) * 1000
        #expect(abs(offMs) <= 0.5, "the last sample sounded \(offMs) ms off the time line")
        let seen = status.snapshot
        #expect(abs((seen.driftPpm ?? 0) - skewPpm) < 5, "drift estimated \(seen.driftPpm ?? .nan) ppm")
        let net = seen.insertedFrames - seen.deletedFrames
        // 240 frames of drift, and what the filter pulled in while it learnt the drift.
        #expect(abs(Double(net) - skewPpm * 1e-6 * 20 * 24_000) < 50, "net \(net) frames")
        #expect(seen.rejoins == 0)
        #expect(seen.itemId == "tone")
    }

    @Test(arguments: [500.0, -500.0])
    func aLiveStreamOnASkewedCardEndsOnTheTimeLine(skewPpm: Double) async throws {
        let clock = VirtualClock()
        let encoded = try LiveTestStream.make(seconds: 20, startAtMs: 0)
        // The stream starts now: nothing to wait for, which a clock that stands still could not.
        let startAtMs = Int64(clock.epoch.timeIntervalSince1970 * 1000)
        let source = encoded.retimed(startAtMs: startAtMs)
        let stream = ReceivedLiveStream(start: source.start())
        for audio in source.payloads { _ = stream.insert(try #require(LiveJitterBuffer.Payload(audio)), now: clock.date) }
        stream.end()
        let output = PacedNullOutput(bufferTime: .milliseconds(200), clock: clock.pacing, skewPpm: skewPpm)
        let status = TimelineStatus()
        let renderer = LiveRenderer(stream: stream, output: output, logger: .quiet, now: { clock.date }, timeline: status)
        let ending = Ending()
        renderer.start { ending.set($0, at: clock.date) }
        #expect(await poll(30, every: 20) { ending.result != nil })
        let (outcome, endedAt) = try #require(ending.result)
        guard case .finished = outcome else { Issue.record("ended \(outcome)"); return }
        let duration = Double(source.decoded.frameCount) / 24_000
        let offMs = (endedAt.timeIntervalSince1970 - Double(startAtMs) / 1000 - duration) * 1000
        #expect(abs(offMs) <= 0.5, "the last sample sounded \(offMs) ms off the time line")
        let seen = status.snapshot
        #expect(abs((seen.driftPpm ?? 0) - skewPpm) < 5, "drift estimated \(seen.driftPpm ?? .nan) ppm")
        #expect(seen.rejoins <= 1, "at most the join itself")
    }

    @Test func anUnpacedOutputGetsExactlyTheDecodedSound() async throws {
        let output = MemoryAudioOutput()
        let status = TimelineStatus()
        let tone = TestTone(frequencyHz: 440, durationMs: 3_000)
        let renderer = BulletinRenderer(itemId: "tone", source: .tone(tone), fromMs: 0, output: output, startAt: Date(),
                                        now: { Date() }, timeline: status)
        let ending = Ending()
        renderer.start { ending.set($0, at: Date()) }
        #expect(await poll(10, every: 20) { ending.result != nil })
        let format = AudioFormat.speech
        #expect(output.samples == tone.slice(format, from: 0, count: tone.frameCount(at: format)).int16Samples())
        #expect(status.snapshot.measuredAt == nil, "nothing measured on an unpaced output")
    }

    @Test func aFilePCMIsNotPacedAndACardIs() throws {
        let directory = TemporaryDirectory("file-pcm")
        let file = ALSAPlayback(device: .filePCM(path: directory.path + "/out.raw"))
        try file.open(format: .speech)
        #expect(!file.isPaced)
        file.close()
        let builtIn = ALSAPlayback(device: .builtInFile(path: directory.path + "/built-in.raw"))
        try builtIn.open(format: .speech)
        #expect(!builtIn.isPaced)
        builtIn.close()
        #expect(PacedNullOutput().isPaced)
        #expect(!MemoryAudioOutput().isPaced)
    }
}
