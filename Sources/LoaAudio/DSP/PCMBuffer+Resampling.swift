/// Whole-buffer sample-rate conversion; see `Resampler` for the filter and streaming use.
extension PCMBuffer {
    /// This buffer at `sampleRate`, all channels kept; returns `self` when the rate already matches.
    public func resampled(to sampleRate: Int, quality: Resampler.Quality = .standard) throws -> PCMBuffer {
        guard sampleRate != format.sampleRate else { return self }
        var resampler = try Resampler(from: format.sampleRate, to: sampleRate, channels: format.channels, quality: quality)
        var result = resampler.process(self)
        result.append(resampler.flush())
        return result
    }
}
