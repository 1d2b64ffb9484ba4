/// Somewhere PCM can be recorded from: an ALSA capture device (a microphone, a line
/// input) or, in tests, a `type file` PCM fed from a raw file.
///
/// `read` blocks until the requested frames have arrived; call it from a thread of its own.
public protocol AudioInput: AnyObject, Sendable {
    /// The format the input was opened with, or nil when it is closed.
    var openFormat: AudioFormat? { get }

    /// Opens (or re-opens) the input for `format` and starts capturing.
    func open(format: AudioFormat) throws(AudioError)

    /// Reads exactly `frames` frames as interleaved signed 16-bit samples.
    func read(frames: Int) throws(AudioError) -> [Int16]

    /// Stops capturing and closes the input. Safe to call twice.
    func close()
}

extension AudioInput {
    /// Reads exactly `frames` frames as a float buffer in the open format.
    public func readBuffer(frames: Int) throws(AudioError) -> PCMBuffer {
        let samples = try read(frames: frames)
        guard let format = openFormat else { throw .notOpen("audio input", "read") }
        return PCMBuffer(format: format, int16: samples)
    }
}
