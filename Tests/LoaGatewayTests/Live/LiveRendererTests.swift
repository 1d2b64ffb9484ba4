import Foundation
import LoaAudio
import LoaProtocol
import Testing
@testable import LoaGateway

/// The live renderer on its real thread, in real time, into memory (an output that does not
/// pace itself, like the `type file` PCM of the loopback tests).
@Suite struct LiveRendererTests {
    final class Signals: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [(LiveRenderer.Signal, Date)] = []
        func add(_ signal: LiveRenderer.Signal) { lock.withLock { received.append((signal, Date())) } }
        var count: Int { lock.withLock { received.count } }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (BulletinRenderer.Outcome, Date)?
        func set(_ outcome: BulletinRenderer.Outcome) { lock.withLock { value = (outcome, Date()) } }
        var result: (BulletinRenderer.Outcome, Date)? { lock.withLock { value } }
    }

    static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func aWholeStreamPlaysFromItsStartInstantAndFinishesAfterLiveEnd() async throws {
        let encoded = try LiveTestStream.make(seconds: 1.2, startAtMs: 0)
        let startAt = Self.nowMs + 400
        let source = encoded.retimed(startAtMs: startAt)
        let stream = ReceivedLiveStream(start: source.start())
        for audio in source.payloads { _ = stream.insert(try #require(LiveJitterBuffer.Payload(audio)), now: Date()) }
        stream.end()
        let output = MemoryAudioOutput()
        let signals = Signals(), outcome = Outcome()
        let renderer = LiveRenderer(stream: stream, output: output, logger: .quiet, now: { Date() }, signal: signals.add)
        renderer.start(completion: outcome.set)
        var heardAt: Int64?
        _ = await poll(0.6, every: 20) {
            if !output.samples.isEmpty { heardAt = Self.nowMs }
            return heardAt != nil
        }
        #expect((heardAt ?? startAt) >= startAt - 5, "sound \(startAt - (heardAt ?? startAt)) ms before the start instant")
        #expect(await poll(6, every: 20) { outcome.result != nil })
        let (result, endedAt) = try #require(outcome.result)
        #expect(output.samples == source.decoded.int16Samples(), "the output is the decoded stream, nothing before or between")
        let duration = Int64(source.decoded.frameCount) * 1000 / 24_000
        #expect(result == .finished(positionMs: duration))
        // An unpaced output took it at once; the renderer still ends when the sound would.
        let endMs = Int64(endedAt.timeIntervalSince1970 * 1000)
        #expect(endMs >= startAt + duration - 20, "finished \(startAt + duration - endMs) ms early")
        #expect(signals.count == 0)
    }

    @Test func aDryBufferWritesSilenceSaysQuietAndPlacesTheNextPayloadByItsTime() async throws {
        let encoded = try LiveTestStream.make(seconds: 2.4, startAtMs: 0)
        let startAt = Self.nowMs + 500
        let source = encoded.retimed(startAtMs: startAt)
        let stream = ReceivedLiveStream(start: source.start())
        // Payloads 0 and 1 (480 ms), then nothing: the source stalls.
        for audio in source.payloads.prefix(2) { _ = stream.insert(try #require(LiveJitterBuffer.Payload(audio)), now: Date()) }
        let fifth = try #require(LiveJitterBuffer.Payload(source.payloads[5]))
        let output = MemoryAudioOutput()
        let signals = Signals(), outcome = Outcome()
        let renderer = LiveRenderer(stream: stream, output: output, logger: .quiet, now: { Date() }) { signal in
            signals.add(signal)
            // As the buffer runs dry, payload 5 (due 1200 ms after the start) arrives, ahead of
            // its time; 2–4 are lost. Done on the renderer's thread, so a busy test pool cannot delay it.
            if signals.count == 1 {
                _ = stream.insert(fifth, now: Date())
                stream.end()
            }
        }
        renderer.start(completion: outcome.set)
        #expect(await poll(5, every: 20) { outcome.result != nil })
        let samples = output.samples
        let fifthAt = 5 * 10 * 576   // frames from the start to payload 5's time
        // Memory is not a clock: if this thread is held up on a loaded machine, the silence it
        // paces comes out shorter (as a sound card would underrun), so allow 100 ms.
        #expect(abs(samples.count - (fifthAt + 5_760)) <= 2_400, "wrote \(samples.count) frames, want \(fifthAt + 5_760)")
        // The first 480 ms are the stream; then silence until about payload 5's time.
        let decoded = source.decoded.int16Samples()
        #expect(Array(samples.prefix(2 * 5_760)) == Array(decoded.prefix(2 * 5_760)))
        #expect(samples[(2 * 5_760 + 600)..<(fifthAt - 2_400)].allSatisfy { $0 == 0 }, "silence while dry")
        #expect(samples.suffix(2_000).contains { $0 != 0 }, "payload 5 sounds at the end")
        #expect(signals.count == 1)
        #expect(stream.lostPayloads == 3)
    }

    @Test func cancelIsPromptWhileWaiting() async throws {
        let source = try LiveTestStream.make(seconds: 0.5, startAtMs: Self.nowMs + 600_000)  // far enough that a loaded machine cannot reach it
        let stream = ReceivedLiveStream(start: source.start())
        _ = stream.insert(try #require(LiveJitterBuffer.Payload(source.payloads[0])), now: Date())
        let output = MemoryAudioOutput()
        let outcome = Outcome()
        let renderer = LiveRenderer(stream: stream, output: output, logger: .quiet, now: { Date() })
        renderer.start(completion: outcome.set)
        try await Task.sleep(nanoseconds: 100_000_000)
        let began = Date()
        renderer.cancel(timeout: 1)
        #expect(Date().timeIntervalSince(began) < 0.5)
        #expect(await poll(1, every: 20) { outcome.result != nil })
        #expect(outcome.result?.0 == .cancelled(positionMs: 0))
        #expect(output.samples.isEmpty)
    }
}
