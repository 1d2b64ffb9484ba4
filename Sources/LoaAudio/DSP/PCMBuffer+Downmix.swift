/// Channel reduction for speech bulletins.
extension PCMBuffer {
    /// One channel holding the average of all channels (no gain change for identical channels,
    /// so a centred voice keeps its level); returns `self` when already mono.
    public func downmixedToMono() -> PCMBuffer {
        let channelCount = format.channels
        guard channelCount > 1 else { return self }
        let frames = frameCount
        let scale = 1 / Float(channelCount)
        var mono = [Float](repeating: 0, count: frames)
        samples.withUnsafeBufferPointer { source in
            mono.withUnsafeMutableBufferPointer { out in
                for frame in 0..<frames {
                    var sum: Float = 0
                    let base = frame * channelCount
                    for c in 0..<channelCount { sum += source[base + c] }
                    out[frame] = sum * scale
                }
            }
        }
        return PCMBuffer(format: AudioFormat(sampleRate: format.sampleRate, channels: 1), samples: mono)
    }
}
