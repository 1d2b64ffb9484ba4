/// Brings PCM to a target format: down-mix to mono (or copy mono to every channel), then resample.
public enum AudioConversion {
    public static func convert(_ audio: PCMBuffer, to target: AudioFormat) throws -> PCMBuffer {
        var result = audio
        if result.format.channels != target.channels {
            if target.channels == 1 {
                result = result.downmixedToMono()
            } else if result.format.channels == 1 {
                result = result.spread(to: target.channels)
            } else {
                throw AudioError.invalidSetting("cannot convert \(result.format.channels) channels to \(target.channels)")
            }
        }
        if result.format.sampleRate != target.sampleRate {
            result = try result.resampled(to: target.sampleRate)
        }
        return result
    }
}

extension PCMBuffer {
    /// A mono buffer copied to `channels` identical channels.
    func spread(to channels: Int) -> PCMBuffer {
        precondition(format.channels == 1)
        var out = [Float](repeating: 0, count: samples.count * channels)
        for (frame, sample) in samples.enumerated() {
            for channel in 0..<channels { out[frame * channels + channel] = sample }
        }
        return PCMBuffer(format: AudioFormat(sampleRate: format.sampleRate, channels: channels), samples: out)
    }
}
