/// Somewhere PCM can be played: an ALSA device, memory, or a paced null sink.
///
/// Modelled on MPD's output contract so the player and the tests can swap outputs:
/// `open` → any number of `write`s → `drain` (play out what is queued) or `cancel`
/// (drop it) → `close`. `delay()` tells the player how far ahead of the speaker it is,
/// which is what gateway-to-gateway sync needs. Writes block (an ALSA write waits for
/// room in the device buffer): call them from a thread of their own, never an event loop.
public protocol AudioOutput: AnyObject, Sendable {
    /// The format the output was opened with, or nil when it is closed.
    var openFormat: AudioFormat? { get }

    /// Opens (or re-opens) the output for `format`.
    func open(format: AudioFormat) throws(AudioError)

    /// Queues interleaved signed 16-bit samples; the count must be a whole number of frames.
    /// Returns early, without error, if `cancel()` is called while it is writing.
    func write(int16 samples: [Int16]) throws(AudioError)

    /// Blocks until everything queued has been played; the output stays open.
    func drain() throws(AudioError)

    /// Blocks until at most `leavingFrames` are still queued, and the output keeps playing
    /// them: what comes next is written behind them without a gap (back-to-back items). Returns
    /// at once when closed, cancelled or already there.
    func drain(leavingFrames: Int)

    /// Drops whatever is queued and not yet played; the output stays open.
    func cancel()

    /// Frames written but not yet heard (queued ahead of the speaker); 0 when closed.
    func delay() -> Int

    /// `delay()` as exactly as the output can tell it, for the instant this call returns:
    /// fractional, and for ALSA taken from the device's own timestamped status and carried
    /// forward to now on the monotonic clock (the gateway's rate correction reads this).
    func measuredDelay() -> Double

    /// Whether the output consumes sound in real time by a clock of its own (a sound card, a
    /// paced sink), so its position says where the speaker is. False for outputs that take
    /// everything at once (memory, an ALSA `type file` or `null` PCM): the gateway corrects
    /// no rate on those and writes them exactly what it decoded.
    var isPaced: Bool { get }

    /// Closes the output, dropping anything still queued. Safe to call twice.
    func close()

    /// What a technician reads in the health report: "closed", or the device's own state
    /// (ALSA's `PREPARED`, `RUNNING`, `XRUN`, `SUSPENDED`, `DISCONNECTED` …); "open" where the
    /// output has no finer state.
    var deviceState: String { get }
}

extension AudioOutput {
    public var deviceState: String { openFormat == nil ? "closed" : "open" }
    public func measuredDelay() -> Double { Double(delay()) }
    public var isPaced: Bool { false }

    /// Queues a float buffer, converted to Int16 with rounding and clipping.
    public func write(_ buffer: PCMBuffer) throws(AudioError) {
        if let format = openFormat, format != buffer.format {
            throw .invalidSetting("buffer is \(buffer.format) but the output was opened for \(format)")
        }
        try write(int16: buffer.int16Samples())
    }

    /// `delay()` as a duration at the open format's rate (zero when closed).
    public func delayDuration() -> Duration {
        guard let format = openFormat, format.sampleRate > 0 else { return .zero }
        return .nanoseconds(Int64(delay()) * 1_000_000_000 / Int64(format.sampleRate))
    }
}

/// Checks a format before any device sees it, so a bad one fails with a message naming it.
func validateOutputFormat(_ format: AudioFormat, for subject: String) throws(AudioError) {
    guard (1...32).contains(format.channels) else {
        throw .invalidSetting("\(subject): channels must be 1…32, got \(format.channels)")
    }
    guard (1_000...768_000).contains(format.sampleRate) else {
        throw .invalidSetting("\(subject): sample rate must be 1000…768000 Hz, got \(format.sampleRate)")
    }
}

/// Checks that `count` interleaved samples are a whole number of frames of `format`.
func validateWholeFrames(_ count: Int, _ format: AudioFormat, for subject: String) throws(AudioError) {
    guard count % format.channels == 0 else {
        throw .invalidSetting("\(subject): \(count) samples is not a whole number of \(format.channels)-channel frames")
    }
}
