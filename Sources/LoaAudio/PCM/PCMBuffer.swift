/// Interleaved floating-point PCM, samples nominally in -1...1.
///
/// Float is the working format of every DSP step (resampling, loudness, gain);
/// Int16 is the wire and device format, converted at the edges with rounding and clipping.
public struct PCMBuffer: Equatable, Sendable {
    public var format: AudioFormat
    /// Interleaved samples: frame 0 channel 0, frame 0 channel 1, frame 1 channel 0, …
    public var samples: [Float]

    public init(format: AudioFormat, samples: [Float] = []) {
        precondition(format.channels > 0, "a PCM buffer needs at least one channel")
        precondition(samples.count % format.channels == 0, "sample count must be a whole number of frames")
        self.format = format
        self.samples = samples
    }

    /// Builds a buffer from interleaved signed 16-bit samples.
    public init(format: AudioFormat, int16 source: [Int16]) {
        self.init(format: format, samples: source.map { Float($0) / 32768 })
    }

    public var frameCount: Int { samples.count / format.channels }

    /// Duration in seconds.
    public var duration: Double { Double(frameCount) / Double(format.sampleRate) }

    /// Interleaved signed 16-bit samples, rounded and clipped.
    public func int16Samples() -> [Int16] {
        samples.map(PCMBuffer.int16(from:))
    }

    /// Converts one float sample to Int16 with rounding and clipping.
    @inline(__always)
    public static func int16(from sample: Float) -> Int16 {
        let scaled = (sample * 32768).rounded()
        if scaled >= 32767 { return .max }
        if scaled <= -32768 { return .min }
        return Int16(scaled)
    }

    /// The samples of one channel.
    public func channel(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < format.channels)
        let step = format.channels
        return stride(from: index, to: samples.count, by: step).map { samples[$0] }
    }

    /// Appends another buffer of the same format.
    public mutating func append(_ other: PCMBuffer) {
        precondition(other.format == format, "cannot append \(other.format) to \(format)")
        samples.append(contentsOf: other.samples)
    }

    /// Frames [start, start+count) as a new buffer (clamped to the buffer's end).
    public func frames(from start: Int, count: Int) -> PCMBuffer {
        let lower = min(max(start, 0), frameCount) * format.channels
        let upper = min(max(start + count, 0), frameCount) * format.channels
        return PCMBuffer(format: format, samples: Array(samples[lower..<max(lower, upper)]))
    }
}
