import Foundation
import LoaProtocol
import Testing
@testable import LoaGateway

/// The live jitter buffer driven by hand: payloads of 5760 frames (240 ms at 24 kHz) from T.
@Suite struct LiveJitterBufferTests {
    static let t: Int64 = 1_800_000_000_000_000_000   // ns
    static let ms: Int64 = 1_000_000
    static let frames = 5_760

    static func payload(_ sequence: UInt32, from start: Int64 = t) -> LiveJitterBuffer.Payload {
        LiveJitterBuffer.Payload(sequence: sequence, presentationTime: start + Int64(sequence) * 240 * ms, frames: frames,
                                 mp3: [UInt8(sequence & 0xff)])
    }

    static func buffer(_ sequences: [UInt32], now: Int64 = t - 2_000 * ms) -> LiveJitterBuffer {
        var buffer = LiveJitterBuffer(sampleRate: 24_000, startAt: t)
        for sequence in sequences { _ = buffer.insert(payload(sequence), now: now) }
        return buffer
    }

    @Test func inOrderPayloadsPlayOneAfterAnotherFromTheStart() {
        var buffer = Self.buffer([0, 1, 2])
        #expect(buffer.next(cursor: Self.t - 500 * Self.ms) == .wait(until: Self.t))
        #expect(buffer.next(cursor: Self.t) == .play(Self.payload(0), skipFrames: 0))
        #expect(buffer.next(cursor: Self.t + 240 * Self.ms) == .play(Self.payload(1), skipFrames: 0))
        // Continuous: a contiguous payload follows even if the cursor is a little off its time.
        #expect(buffer.next(cursor: Self.t + 560 * Self.ms) == .play(Self.payload(2), skipFrames: 0))
        #expect(buffer.next(cursor: Self.t + 720 * Self.ms) == .dry)
        #expect(buffer.lostPayloads == 0 && buffer.latePayloads == 0)
    }

    /// The buffer a link leaves: how early each payload came, and the least of those (what the
    /// live delay could lose on this link without a gap); a late one shows negative.
    @Test func theMarginOfArrivalsIsKept() {
        var buffer = LiveJitterBuffer(sampleRate: 24_000, startAt: Self.t)
        #expect(buffer.lastMargin == nil && buffer.leastMargin == nil)
        _ = buffer.insert(Self.payload(0), now: Self.t - 1_900 * Self.ms)
        _ = buffer.insert(Self.payload(1), now: Self.t - 1_200 * Self.ms)
        _ = buffer.insert(Self.payload(2), now: Self.t - 1_500 * Self.ms)
        #expect(buffer.lastMargin == 1_980 * Self.ms && buffer.leastMargin == 1_440 * Self.ms)
        _ = buffer.insert(Self.payload(3), now: Self.t + 800 * Self.ms)
        #expect(buffer.lastMargin == -80 * Self.ms && buffer.leastMargin == -80 * Self.ms)
    }

    @Test func aFirstPayloadWithinTheToleranceStartsAsItIs() {
        var buffer = Self.buffer([0])
        #expect(buffer.next(cursor: Self.t + 15 * Self.ms) == .play(Self.payload(0), skipFrames: 0))
    }

    @Test func aSequenceGapIsALossAndTheNextPayloadWaitsForItsTime() {
        var buffer = LiveJitterBuffer(sampleRate: 24_000, startAt: Self.t)
        #expect(buffer.insert(Self.payload(0), now: Self.t) == .queued(lost: 0))
        #expect(buffer.insert(Self.payload(1), now: Self.t) == .queued(lost: 0))
        #expect(buffer.insert(Self.payload(4), now: Self.t) == .queued(lost: 2))
        #expect(buffer.insert(Self.payload(4), now: Self.t) == .duplicate)
        #expect(buffer.lostPayloads == 2)
        #expect(buffer.receivedPayloads == 3, "a duplicate is not counted")
        #expect(buffer.next(cursor: Self.t) == .play(Self.payload(0), skipFrames: 0))
        #expect(buffer.next(cursor: Self.t + 240 * Self.ms) == .play(Self.payload(1), skipFrames: 0))
        // Not contiguous: placed by its time, silence until then.
        #expect(buffer.next(cursor: Self.t + 480 * Self.ms) == .wait(until: Self.t + 960 * Self.ms))
        buffer.silenceWritten()
        #expect(buffer.next(cursor: Self.t + 960 * Self.ms) == .play(Self.payload(4), skipFrames: 0))
    }

    @Test func latePayloadsAreDroppedAndAPartlyPastOneIsJoinedLate() {
        var buffer = Self.buffer([0, 1, 2, 3])
        // Joining 600 ms in: 0 and 1 have passed, 2 is 120 ms in (2880 frames).
        #expect(buffer.next(cursor: Self.t + 600 * Self.ms) == .play(Self.payload(2), skipFrames: 2_880))
        #expect(buffer.latePayloads == 2)
        #expect(buffer.next(cursor: Self.t + 720 * Self.ms) == .play(Self.payload(3), skipFrames: 0))
    }

    @Test func aPayloadWhoseSoundHasEndedIsRefusedOnArrival() {
        var buffer = LiveJitterBuffer(sampleRate: 24_000, startAt: Self.t)
        #expect(buffer.insert(Self.payload(0), now: Self.t + 240 * Self.ms) == .late)
        #expect(buffer.insert(Self.payload(1), now: Self.t + 240 * Self.ms) == .queued(lost: 0))
        #expect(buffer.latePayloads == 1 && buffer.lostPayloads == 0)
    }

    @Test func afterAnUnderrunTheStreamReanchorsOnPresentationTimes() {
        var buffer = Self.buffer([0, 1])
        _ = buffer.next(cursor: Self.t)
        _ = buffer.next(cursor: Self.t + 240 * Self.ms)
        #expect(buffer.next(cursor: Self.t + 480 * Self.ms) == .dry)
        buffer.silenceWritten()  // 100 ms of silence went out
        _ = buffer.insert(Self.payload(2), now: Self.t + 570 * Self.ms)
        _ = buffer.insert(Self.payload(3), now: Self.t + 570 * Self.ms)
        // Payload 2 was due at 480 ms; the cursor is at 580: its first 100 ms are skipped.
        #expect(buffer.next(cursor: Self.t + 580 * Self.ms) == .play(Self.payload(2), skipFrames: 2_400))
        // Then contiguous again.
        #expect(buffer.next(cursor: Self.t + 720 * Self.ms) == .play(Self.payload(3), skipFrames: 0))
    }

    @Test func aContiguousPayloadFarFromTheCursorReanchors() {
        var buffer = Self.buffer([0, 1])
        _ = buffer.next(cursor: Self.t)
        // The clock stepped back 500 ms: payload 1 is now 740 ms ahead; do not play it early.
        #expect(buffer.next(cursor: Self.t - 500 * Self.ms) == .wait(until: Self.t + 240 * Self.ms))
    }

    @Test func liveEndDrainsWhatIsBuffered() {
        var buffer = Self.buffer([0, 1])
        buffer.end()
        #expect(buffer.insert(Self.payload(2), now: Self.t) == .afterEnd)
        #expect(buffer.next(cursor: Self.t) == .play(Self.payload(0), skipFrames: 0))
        #expect(buffer.next(cursor: Self.t + 240 * Self.ms) == .play(Self.payload(1), skipFrames: 0))
        #expect(buffer.next(cursor: Self.t + 480 * Self.ms) == .drained)
    }

    @Test func liveEndBeforeAnyAudioDrainsAtOnce() {
        var buffer = Self.buffer([])
        buffer.end()
        #expect(buffer.next(cursor: Self.t - 1_000 * Self.ms) == .drained)
    }

    @Test func beforeTheStartAnEmptyBufferWaitsAndAfterItIsDry() {
        var buffer = Self.buffer([])
        #expect(buffer.next(cursor: Self.t - 300 * Self.ms) == .wait(until: Self.t))
        #expect(buffer.next(cursor: Self.t) == .dry)
    }

    @Test func duplicatesAreRefused() {
        var buffer = Self.buffer([0, 1])
        #expect(buffer.insert(Self.payload(1), now: Self.t) == .duplicate)
        _ = buffer.next(cursor: Self.t)
        #expect(buffer.insert(Self.payload(0), now: Self.t) == .duplicate)
    }

    @Test func aFullBufferDropsTheOldest() {
        var buffer = LiveJitterBuffer(sampleRate: 24_000, startAt: Self.t, capacity: 2)
        for sequence: UInt32 in 0...2 { _ = buffer.insert(Self.payload(sequence), now: Self.t) }
        #expect(buffer.queued.map(\.sequence) == [1, 2])
        #expect(buffer.latePayloads == 1)
    }

    @Test func anOutOfOrderPayloadIsPlacedBySequence() {
        let buffer = Self.buffer([0, 2, 1])
        #expect(buffer.queued.map(\.sequence) == [0, 1, 2])
        #expect(buffer.lostPayloads == 1, "the gap before 2 counted when 2 arrived")
    }

    @Test func aPayloadIsCountedFromItsMP3FrameHeaders() throws {
        let stream = try LiveTestStream.make(seconds: 1, startAtMs: 1_000)
        let first = try #require(LiveJitterBuffer.Payload(stream.payloads[0]))
        #expect(first.frames == 10 * 576)
        #expect(first.presentationTime == 1_000 * Self.ms)
        let total = stream.payloads.compactMap(LiveJitterBuffer.Payload.init).map(\.frames).reduce(0, +)
        #expect(total == stream.decoded.frameCount)
        #expect(LiveJitterBuffer.Payload(LiveAudio(streamId: 1, sequence: 0, presentationTime: 0, mp3: [1, 2, 3, 4, 5])) == nil)
        #expect(LiveJitterBuffer.Payload(LiveAudio(streamId: 1, sequence: 0, presentationTime: 0, mp3: [])) == nil)
    }
}
