import LoaAudio

/// Inserts or deletes single frames in a slice of sound, spread evenly over it, so a rate
/// correction of a few hundred ppm is inaudible: an inserted frame is the mean of its two
/// neighbours, a deleted pair of frames becomes their mean (no step in the waveform). Pure.
public enum FrameSplicer {
    /// `buffer` with `frames` frames inserted (positive) or deleted (negative); at most one
    /// change per two frames, so a tiny slice takes what it can.
    public static func splice(_ buffer: PCMBuffer, frames: Int) -> PCMBuffer {
        let count = buffer.frameCount
        let changes = min(abs(frames), count / 2)
        guard changes > 0 else { return buffer }
        let channels = buffer.format.channels
        let input = buffer.samples
        var output: [Float] = []
        output.reserveCapacity((count + (frames > 0 ? changes : -changes)) * channels)
        var from = 0
        for change in 0..<changes {
            // The middle of each of `changes` equal segments; never the slice's last frame.
            let at = min(count - 2, (2 * change + 1) * count / (2 * changes))
            output.append(contentsOf: input[(from * channels)..<(at * channels)])
            if frames > 0 {
                for channel in 0..<channels {
                    output.append(input[at * channels + channel])
                }
                for channel in 0..<channels {
                    output.append((input[at * channels + channel] + input[(at + 1) * channels + channel]) / 2)
                }
                from = at + 1
            } else {
                for channel in 0..<channels {
                    output.append((input[at * channels + channel] + input[(at + 1) * channels + channel]) / 2)
                }
                from = at + 2
            }
        }
        output.append(contentsOf: input[(from * channels)...])
        return PCMBuffer(format: buffer.format, samples: output)
    }
}
