#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When the first sample of an item must be handed to the output so that it reaches the
/// speaker at the item's instant (neighbouring gateways then play in step). The player starts
/// the render thread a little ahead (`PlayerService` plans `startLead` early); the renderer
/// asks this, with the output's delay (`snd_pcm_delay`: frames queued ahead of the speaker):
///
/// - output idle (nothing queued): wait until the instant, then write — the stream starts on
///   the first period, so the first sample is heard at once;
/// - output running (frames still queued): write silence for the gap minus what is queued, so
///   the stream neither underruns nor plays the item early;
/// - already late: start at once and report by how much (never skip the start of a bulletin).
public enum StartAlignment: Equatable, Sendable {
    case wait(seconds: TimeInterval)
    case silence(frames: Int)
    case late(ms: Int64)
    case now

    public static func plan(target: Date, now: Date, queuedFrames: Int, sampleRate: Int) -> StartAlignment {
        let queued = sampleRate > 0 ? TimeInterval(queuedFrames) / TimeInterval(sampleRate) : 0
        let gap = target.timeIntervalSince(now) - queued
        // Under a millisecond either way is on time: below what a period can resolve.
        if abs(gap) < 0.001 { return .now }
        if gap < 0 { return .late(ms: Int64((-gap * 1000).rounded())) }
        if queuedFrames > 0 { return .silence(frames: Int((gap * TimeInterval(sampleRate)).rounded())) }
        return .wait(seconds: gap)
    }
}
