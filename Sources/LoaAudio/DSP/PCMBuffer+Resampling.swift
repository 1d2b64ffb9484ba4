/// Whole-buffer sample-rate conversion; see `Resampler` for the filter and streaming use.
extension PCMBuffer {
    /// This buffer at `sampleRate`, all channels kept; returns `self` when the rate already matches.
    public func resampled(to sampleRate: Int, quality: Resampler.Quality = .standard) throws -> PCMBuffer {
        guard sampleRate != format.sampleRate else { return self }
        var resampler = try Resampler(from: format.sampleRate, to: sampleRate, channels: format.channels, quality: quality)
        // In slices, so the converter's planar copy of the input stays small; the output is the
        // same whatever the slicing.
        var result = PCMBuffer(format: AudioFormat(sampleRate: sampleRate, channels: format.channels))
        result.samples.reserveCapacity(resampler.outputCount(forInputFrames: frameCount) * format.channels)
        let slice = 1 << 16
        for start in stride(from: 0, to: frameCount, by: slice) {
            result.append(resampler.process(frames(from: start, count: slice)))
        }
        result.append(resampler.flush())
        return result
    }
}
