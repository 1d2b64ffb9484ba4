#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio

/// One renderer's hold on the time line, for an output that paces itself: before each slice
/// it measures the output (`measuredDelay()` against the controller clock), asks its
/// `RateCorrector`, and turns the answer into what to write — the slice with frames spliced
/// in or out, silence before it, or its start skipped (a skip longer than the slice carries
/// into the next ones). Owned by the render thread. Renderers on an unpaced output have none.
struct PacedTimeline {
    let itemId: String
    let rate: Int
    /// Controller ns at which output frame 0 (since the origin) should sound.
    let originNs: Int64
    private(set) var corrector: RateCorrector
    /// Output frames written since the origin.
    private(set) var written = 0
    /// Frames of sound still to skip (a re-join when late).
    private var pendingSkip = 0
    private var reported: RateCorrector.Estimate?
    private let status: TimelineStatus?

    init(itemId: String, rate: Int, originNs: Int64, status: TimelineStatus?, settings: RateCorrector.Settings) {
        self.itemId = itemId
        self.rate = max(1, rate)
        self.originNs = originNs
        self.status = status
        corrector = RateCorrector(sampleRate: rate, settings: settings, driftHint: status?.driftHint)
    }

    /// What to write for `slice`, and how many of its frames of sound that accounts for
    /// (written or skipped: the item's position).
    mutating func prepare(_ slice: PCMBuffer, output: any AudioOutput, now: () -> Date) -> (PCMBuffer, consumed: Int) {
        var buffer = slice
        if pendingSkip > 0 {
            let skipped = min(pendingSkip, buffer.frameCount)
            pendingSkip -= skipped
            buffer = buffer.frames(from: skipped, count: buffer.frameCount - skipped)
            if buffer.frameCount == 0 { return (buffer, slice.frameCount) }
        }
        let queued = output.measuredDelay()
        let at = now()
        let nowNs = ReceivedLiveStream.nanoseconds(at)
        let expected = Double(nowNs - originNs) * Double(rate) / 1e9
        let action = corrector.next(.init(now: nowNs, written: written, queued: queued, expected: expected),
                                    sliceFrames: buffer.frameCount)
        report(at)
        switch action {
        case .none:
            break
        case .adjust(let frames):
            buffer = FrameSplicer.splice(buffer, frames: frames)
        case .rejoin(let frames) where frames > 0:
            let silence = [Float](repeating: 0, count: frames * buffer.format.channels)
            buffer = PCMBuffer(format: buffer.format, samples: silence + buffer.samples)
        case .rejoin(let frames):
            let skipped = min(-frames, buffer.frameCount)
            pendingSkip = -frames - skipped
            buffer = buffer.frames(from: skipped, count: buffer.frameCount - skipped)
        }
        return (buffer, slice.frameCount)
    }

    /// `frames` output frames were written (a prepared slice, or sound the renderer placed itself).
    mutating func wrote(_ frames: Int) { written += frames }

    /// The next frame written sounds, by the stream's own time, at `ns` (a live payload placed
    /// after silence); the corrector re-joins at once if the card is not there.
    mutating func place(atNs ns: Int64) {
        pendingSkip = 0
        corrector.place(written: written, timelineFrame: Double(ns - originNs) * Double(rate) / 1e9)
    }

    private mutating func report(_ at: Date) {
        let estimate = corrector.estimate
        status?.record(itemId: itemId, at: at, estimate: estimate, before: reported)
        reported = estimate
    }
}
