/// `AudioConversion.convert` for a stream: the same down-mix (or copy to every channel) and the
/// same resampler, chunk by chunk. The concatenated output equals the whole-buffer conversion.
public struct AudioConverter: Sendable {
    public let source: AudioFormat
    public let target: AudioFormat
    private var resampler: Resampler?

    public init(from source: AudioFormat, to target: AudioFormat) throws {
        guard source.channels == target.channels || target.channels == 1 || source.channels == 1 else {
            throw AudioError.invalidSetting("cannot convert \(source.channels) channels to \(target.channels)")
        }
        self.source = source
        self.target = target
        if source.sampleRate != target.sampleRate {
            resampler = try Resampler(from: source.sampleRate, to: target.sampleRate, channels: target.channels)
        }
    }

    /// The converted chunk (the resampler holds back a few frames until `flush()`).
    public mutating func process(_ chunk: PCMBuffer) -> PCMBuffer {
        precondition(chunk.format == source, "converter built for \(source), got \(chunk.format)")
        var result = chunk
        if source.channels != target.channels {
            result = target.channels == 1 ? result.downmixedToMono() : result.spread(to: target.channels)
        }
        guard resampler != nil else { return result }
        return resampler!.process(result)
    }

    /// The frames still held at the end of the stream.
    public mutating func flush() -> PCMBuffer {
        resampler?.flush() ?? PCMBuffer(format: target)
    }
}
