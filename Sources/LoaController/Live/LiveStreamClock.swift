/// The time line of one live stream, per the live contract: `startAt` is the instant the first
/// source audio reached the controller plus the delay (every gateway's jitter buffer), and a
/// payload's presentation time is `startAt`·10⁶ + (samples before it)·10⁹ / rate, in ns.
///
/// Two guards keep gateways' buffers sane, decided here so they are testable without sockets:
/// - A source that runs ahead of real time (a file pushed at full speed) is held back:
///   `holdUntil` says when a payload may go, at most `delay + lead` before it sounds.
/// - A source that stalled (the studio link dropped) leaves later payloads late or nearly so;
///   when a payload would sound less than a quarter of the delay from now, the time line skips
///   ahead so that it sounds one full delay from now. Gateways hear silence for the gap and
///   re-anchor on the new time; sequence numbers are unaffected.
public struct LiveStreamClock: Sendable, Equatable {
    public let sampleRate: Int
    public let delayMs: Int64
    /// How far ahead of real time (beyond the delay) a fast source may get.
    public let leadMs: Int64
    /// Controller-clock ms at which the stream's first sample sounds; nil before the first audio.
    public private(set) var startAtMs: Int64?
    /// Samples of the payloads timed so far.
    public private(set) var samples: Int64 = 0
    /// Samples of silence inserted after stalls.
    public private(set) var skippedSamples: Int64 = 0
    /// How often the time line skipped ahead.
    public private(set) var reanchors = 0

    public init(sampleRate: Int, delayMs: Int, leadMs: Int = 1_000) {
        precondition(sampleRate > 0)
        self.sampleRate = sampleRate
        self.delayMs = Int64(delayMs)
        self.leadMs = Int64(leadMs)
    }

    /// Fixes `startAt` from the instant (ms) the first source audio arrived; later calls keep the
    /// first. `notBeforeMs` (a scheduled relay's window start, its upstream opened early) moves
    /// it later, so the stream sounds on the instant; the source is held back until then.
    @discardableResult
    public mutating func start(firstAudioAtMs nowMs: Int64, notBeforeMs: Int64? = nil) -> Int64 {
        if let startAtMs { return startAtMs }
        let value = max(nowMs + delayMs, notBeforeMs ?? .min)
        startAtMs = value
        return value
    }

    /// The presentation time (ns) of the next payload, which holds `payloadSamples` samples;
    /// advances the time line past it. `nowNs` is the controller clock when it is about to go out.
    public mutating func nextPresentationTime(payloadSamples: Int, nowNs: Int64) -> Int64 {
        let start = startAtMs ?? start(firstAudioAtMs: nowNs / 1_000_000)
        var pts = Self.presentationTime(startAtMs: start, samples: samples + skippedSamples, sampleRate: sampleRate)
        if pts - nowNs < delayMs * 1_000_000 / 4 {
            // Late or nearly: move the time line so this payload sounds one delay from now.
            let target = nowNs + delayMs * 1_000_000
            let missing = (target - pts) * Int64(sampleRate) / 1_000_000_000
            skippedSamples += max(0, missing)
            reanchors += 1
            pts = Self.presentationTime(startAtMs: start, samples: samples + skippedSamples, sampleRate: sampleRate)
        }
        samples += Int64(payloadSamples)
        return pts
    }

    /// The earliest controller-clock instant (ns) at which a payload sounding at `pts` may be sent.
    public func holdUntil(presentationTime pts: Int64) -> Int64 {
        pts - (delayMs + leadMs) * 1_000_000
    }

    /// `startAt`·10⁶ + samples·10⁹ / rate, computed from the totals so rounding never accumulates.
    public static func presentationTime(startAtMs: Int64, samples: Int64, sampleRate: Int) -> Int64 {
        startAtMs * 1_000_000 + samples * 1_000_000_000 / Int64(sampleRate)
    }
}
