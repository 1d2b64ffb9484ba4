/// Decides what a playback or capture loop does with each `snd_pcm_writei`/`readi` result.
///
/// Pure and stateful only in counting: the I/O loop performs the action. An xrun (underrun
/// on playback, overrun on capture: -EPIPE) or a suspend (-ESTRPIPE) is recovered with
/// `snd_pcm_recover` and counted; -EAGAIN means the device buffer is full (playback) or
/// empty (capture) and the loop should wait; anything else is a real error. Recoveries that
/// make no progress in between are capped so a broken device fails instead of spinning.
public struct ALSATransferPolicy: Sendable, Equatable {
    /// What the I/O loop should do next.
    public enum Action: Sendable, Equatable {
        /// `frames` were transferred; carry on with the rest.
        case advance(frames: Int)
        /// The device is not ready; wait for it (with a timeout) and try again.
        case wait
        /// Call `snd_pcm_recover` with `code`, then try again.
        case recover(code: Int32)
        /// Give up with `code`.
        case fail(code: Int32)
    }

    /// Linux errno values as ALSA returns them (negated).
    public static let eAGAIN: Int32 = 11, ePIPE: Int32 = 32, eSTRPIPE: Int32 = 86, eINTR: Int32 = 4

    /// How many recoveries in a row, with no frames transferred between them, before failing.
    public var maxRecoveriesWithoutProgress: Int
    /// Underruns (playback) or overruns (capture) recovered so far.
    public private(set) var xruns = 0
    /// Suspends (-ESTRPIPE) recovered so far.
    public private(set) var suspends = 0
    private var recoveriesWithoutProgress = 0

    public init(maxRecoveriesWithoutProgress: Int = 8) {
        self.maxRecoveriesWithoutProgress = maxRecoveriesWithoutProgress
    }

    /// The next action for a transfer call's return value (frames, or a negative error).
    public mutating func next(result: Int) -> Action {
        if result >= 0 {
            if result > 0 { recoveriesWithoutProgress = 0 }
            return .advance(frames: result)
        }
        let code = Int32(clamping: result)
        switch -code {
        case Self.eAGAIN:
            return .wait
        case Self.ePIPE, Self.eSTRPIPE, Self.eINTR:
            recoveriesWithoutProgress += 1
            guard recoveriesWithoutProgress <= maxRecoveriesWithoutProgress else { return .fail(code: code) }
            if -code == Self.ePIPE { xruns += 1 }
            if -code == Self.eSTRPIPE { suspends += 1 }
            return .recover(code: code)
        default:
            return .fail(code: code)
        }
    }
}
