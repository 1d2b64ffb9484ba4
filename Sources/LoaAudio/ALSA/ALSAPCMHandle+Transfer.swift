import CALSA

extension ALSAPCMHandle {
    /// How long a transfer has waited for the device without progress.
    struct StallClock {
        var waitedMilliseconds: Int32 = 0
    }

    /// One wait is short so the owner's lock is released often (cancel stays responsive).
    static let waitSliceMilliseconds: Int32 = 50

    /// How long to wait before calling the device stalled: several buffers, and at least
    /// 5 s, because a PulseAudio sink can take nearly 2 s to take its first data.
    func stallLimitMilliseconds(rate: Int) -> Int32 {
        let bufferMs = rate > 0 ? bufferFrames * 1000 / rate : 0
        return Int32(clamping: max(5_000, bufferMs * 4))
    }

    /// Carries out one policy action for a write or read; returns the frames it advanced by.
    /// A wait is one short slice; the caller loops, and the stall clock turns a device that
    /// never makes room (or never delivers) into an error instead of a hang.
    func perform(
        _ action: ALSATransferPolicy.Action, policy: inout ALSATransferPolicy, stall: inout StallClock,
        rate: Int, operation: String
    ) throws(AudioError) -> Int {
        switch action {
        case .advance(let frames):
            if frames > 0 { stall.waitedMilliseconds = 0 }
            return frames
        case .wait:
            let waited = wait(milliseconds: Self.waitSliceMilliseconds)
            if waited < 0 {
                return try perform(policy.next(result: Int(waited)), policy: &policy, stall: &stall, rate: rate, operation: operation)
            }
            if waited == 0 {
                stall.waitedMilliseconds += Self.waitSliceMilliseconds
                let limit = stallLimitMilliseconds(rate: rate)
                if stall.waitedMilliseconds >= limit {
                    let what = operation == "read" ? "no audio arrived" : "no room in the device buffer"
                    throw .device("ALSA device '\(deviceName)': \(what) for \(limit) ms; is the device stalled? (\(operation))",
                                  code: -ALSATransferPolicy.eAGAIN)
                }
            }
            return 0
        case .recover(let code):
            let recovered = recover(code)
            guard recovered >= 0 else {
                throw .alsa(deviceName, recovered, "recover from \(alsaErrorText(code)) during \(operation)")
            }
            // A recovered capture stream is only prepared; it must be started again to deliver.
            if operation == "read" && state == SND_PCM_STATE_PREPARED { _ = start() }
            return 0
        case .fail(let code):
            throw .alsa(deviceName, code, operation)
        }
    }
}
