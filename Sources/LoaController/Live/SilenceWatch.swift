import Foundation
import LoaAudio

/// Whether a relay's upstream has gone silent (pure): the level of each decoded buffer (RMS,
/// dBFS) below `thresholdDBFS` for `after` seconds of audio in a row is silence; it is said
/// once, and said again to be over at the first buffer above the threshold. Counted in the
/// audio's own time (sample frames), so no clock is needed and a test feeds buffers.
struct SilenceWatch: Sendable, Equatable {
    enum Change: Sendable, Equatable {
        case none
        /// The upstream has been below the threshold for this many seconds.
        case silent(seconds: Double)
        /// Sound again after a reported silence of this many seconds.
        case soundBack(afterSeconds: Double)
    }

    let thresholdDBFS: Double
    /// Seconds of continuous silence that are reported; 0 turns the watch off.
    let after: Double
    private(set) var silentSeconds = 0.0
    private(set) var reported = false

    init(thresholdDBFS: Double, after: Double) {
        self.thresholdDBFS = thresholdDBFS
        self.after = after
    }

    mutating func observe(_ pcm: PCMBuffer) -> Change {
        guard after > 0, pcm.frameCount > 0 else { return .none }
        let seconds = Double(pcm.frameCount) / Double(pcm.format.sampleRate)
        if Self.levelDBFS(pcm.samples) < thresholdDBFS {
            silentSeconds += seconds
            guard !reported, silentSeconds >= after else { return .none }
            reported = true
            return .silent(seconds: silentSeconds)
        }
        defer {
            silentSeconds = 0
            reported = false
        }
        return reported ? .soundBack(afterSeconds: silentSeconds) : .none
    }

    /// RMS level in dBFS (full scale ±1.0); digital silence is -infinity.
    static func levelDBFS(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return -.infinity }
        var sum = 0.0
        for sample in samples { sum += Double(sample) * Double(sample) }
        let rms = (sum / Double(samples.count)).squareRoot()
        return rms > 0 ? 20 * log10(rms) : -.infinity
    }
}
