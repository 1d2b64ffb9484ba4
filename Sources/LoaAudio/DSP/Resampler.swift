#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sample-rate converter: a Kaiser-windowed sinc low-pass evaluated through a precomputed
/// polyphase table, for any ratio, on any number of channels.
///
/// Works on a whole buffer (`PCMBuffer.resampled(to:)`) or streaming: `process(_:)` each chunk
/// as it arrives and `flush()` at the end; the concatenated output is identical to the
/// whole-buffer result whatever the chunk sizes. Output sample `n` lies exactly at input time
/// `n × inputRate / outputRate` (no added delay), and `flush()` ends the stream after
/// `ceil(inputFrames × outputRate / inputRate)` frames.
///
/// The cut-off sits just below the lower of the two Nyquist frequencies (`Quality.rolloff`),
/// with the stop band starting at that Nyquist frequency, so nothing above it folds back into
/// the pass band. Integer rates whose reduced ratio has at most 1024 phases (44100→24000 has
/// 80) use an exact table; other ratios interpolate between 512 phases.
public struct Resampler: Sendable {
    /// Filter design knobs; `.standard` is transparent for speech and music at 24 kHz.
    public struct Quality: Sendable, Hashable {
        /// Zero crossings of the sinc on each side, counted at the lower of the two rates.
        public var zeroCrossings: Int
        /// −6 dB cut-off as a fraction of the lower Nyquist frequency.
        public var rolloff: Double
        /// Kaiser window β (8.96 ≈ 90 dB stop band, 7.86 ≈ 80 dB).
        public var beta: Double

        public init(zeroCrossings: Int, rolloff: Double, beta: Double) {
            self.zeroCrossings = zeroCrossings
            self.rolloff = rolloff
            self.beta = beta
        }

        /// ~90 dB stop band, pass band flat to ~82% of the lower Nyquist frequency.
        public static let standard = Quality(zeroCrossings: 32, rolloff: 0.91, beta: 8.96)
        /// ~80 dB stop band, half the work; pass band to ~68% of the lower Nyquist frequency.
        public static let fast = Quality(zeroCrossings: 16, rolloff: 0.84, beta: 7.86)
    }

    public let inputRate: Double
    public let outputRate: Double
    public let channels: Int
    let bank: ResamplerFilterBank
    /// For exact ratios: output n sits at input position n × step / phaseCount (integers).
    let exactStep: Int?
    /// Input samples per output sample.
    let step: Double

    /// Planar history per channel; `history[c][k]` is input frame `firstFrame + k`.
    private var history: [[Float]]
    private var firstFrame: Int
    private var receivedFrames = 0
    private var nextOutput = 0

    /// A converter between two integer rates.
    public init(from inputRate: Int, to outputRate: Int, channels: Int, quality: Quality = .standard) throws {
        guard inputRate > 0, outputRate > 0 else {
            throw AudioError.invalidSetting("resampler rates must be positive (got \(inputRate) → \(outputRate) Hz)")
        }
        let g = Resampler.gcd(inputRate, outputRate)
        let phases = outputRate / g
        try self.init(input: Double(inputRate), output: Double(outputRate), channels: channels, quality: quality,
                      exact: phases <= 1024 ? (phases: phases, step: inputRate / g) : nil)
    }

    /// A converter for any real ratio (e.g. a drifting clock: 48000 → 47998.7 Hz).
    public init(inputRate: Double, outputRate: Double, channels: Int, quality: Quality = .standard) throws {
        if inputRate == inputRate.rounded(), outputRate == outputRate.rounded(),
           inputRate > 0, outputRate > 0, inputRate < 1e7, outputRate < 1e7 {
            try self.init(from: Int(inputRate), to: Int(outputRate), channels: channels, quality: quality)
        } else {
            try self.init(input: inputRate, output: outputRate, channels: channels, quality: quality, exact: nil)
        }
    }

    private init(input: Double, output: Double, channels: Int, quality: Quality,
                 exact: (phases: Int, step: Int)?) throws {
        guard input > 0, output > 0, input.isFinite, output.isFinite else {
            throw AudioError.invalidSetting("resampler rates must be positive (got \(input) → \(output) Hz)")
        }
        guard channels > 0 else { throw AudioError.invalidSetting("resampler needs at least one channel") }
        guard quality.zeroCrossings >= 2, quality.rolloff > 0, quality.rolloff <= 1 else {
            throw AudioError.invalidSetting("resampler quality out of range: \(quality)")
        }
        inputRate = input
        outputRate = output
        self.channels = channels
        step = input / output
        let lower = min(input, output)
        let cutoff = quality.rolloff * lower / 2 / input
        let halfWidth = Int((Double(quality.zeroCrossings) * max(1, input / output)).rounded(.up))
        bank = ResamplerFilterBank(cutoff: cutoff, halfWidth: halfWidth, beta: quality.beta,
                                   phaseCount: exact?.phases ?? 512)
        exactStep = exact?.step
        firstFrame = -(halfWidth - 1)
        history = Array(repeating: [Float](repeating: 0, count: halfWidth - 1), count: channels)
    }

    /// Input frames the filter looks ahead: output lags input by this much in streaming use.
    public var lookaheadFrames: Int { bank.halfTaps }

    /// Converts the next chunk; returns as many output frames as the input so far allows.
    public mutating func process(_ chunk: PCMBuffer) -> PCMBuffer {
        precondition(chunk.format.channels == channels, "resampler built for \(channels) channels, got \(chunk.format.channels)")
        append(chunk.samples)
        return produce(limit: nil)
    }

    /// Ends the stream: returns the remaining output and resets the converter for a new stream.
    public mutating func flush() -> PCMBuffer {
        let total = receivedFrames
        append([Float](repeating: 0, count: bank.halfTaps * channels))
        let lastOutputs = outputCount(forInputFrames: total)
        let tail = produce(limit: lastOutputs)
        reset()
        return tail
    }

    /// Forgets all input; the next `process` starts a new stream.
    public mutating func reset() {
        firstFrame = -(bank.halfTaps - 1)
        history = Array(repeating: [Float](repeating: 0, count: bank.halfTaps - 1), count: channels)
        receivedFrames = 0
        nextOutput = 0
    }

    /// Frames a whole stream of `inputFrames` frames converts to: ceil(inputFrames × ratio).
    public func outputCount(forInputFrames inputFrames: Int) -> Int {
        if let exactStep {
            let numerator = inputFrames * bank.phaseCount
            return (numerator + exactStep - 1) / exactStep
        }
        return Int((Double(inputFrames) / step).rounded(.up))
    }

    private var outputFormat: AudioFormat {
        AudioFormat(sampleRate: Int(outputRate.rounded()), channels: channels)
    }

    private mutating func append(_ interleaved: [Float]) {
        let frames = interleaved.count / channels
        guard frames > 0 else { return }
        let channelCount = channels
        interleaved.withUnsafeBufferPointer { source in
            for c in 0..<channelCount {
                let start = history[c].count
                history[c].append(contentsOf: repeatElement(0, count: frames))
                history[c].withUnsafeMutableBufferPointer { target in
                    for k in 0..<frames { target[start + k] = source[k * channelCount + c] }
                }
            }
        }
        receivedFrames += frames
    }

    /// Input index and fractional phase of output `n`.
    @inline(__always)
    private func position(of n: Int) -> (index: Int, fraction: Double) {
        if let exactStep {
            let q = n * exactStep
            return (q / bank.phaseCount, Double(q % bank.phaseCount))
        }
        let t = Double(n) * step
        let index = Int(t.rounded(.down))
        return (index, (t - Double(index)) * Double(bank.phaseCount))
    }

    private mutating func produce(limit: Int?) -> PCMBuffer {
        let available = firstFrame + history[0].count   // absolute index one past the last frame held
        var end = nextOutput
        while true {
            if let limit, end >= limit { break }
            if position(of: end).index + bank.halfTaps > available - 1 { break }
            end += 1
        }
        let count = end - nextOutput
        guard count > 0 else { return PCMBuffer(format: outputFormat) }
        var output = [Float](repeating: 0, count: count * channels)
        let taps = bank.tapsPerPhase, half = bank.halfTaps, channelCount = channels
        let start = nextOutput, origin = firstFrame
        output.withUnsafeMutableBufferPointer { out in
            bank.coefficients.withUnsafeBufferPointer { table in
                for c in 0..<channelCount {
                    history[c].withUnsafeBufferPointer { x in
                        for k in 0..<count {
                            let (index, phase) = position(of: start + k)
                            let base = index - half + 1 - origin
                            let row = Int(phase)
                            let h = table.baseAddress! + row * taps
                            let acc: Float
                            if exactStep != nil || phase == Double(row) {
                                acc = DSPKernels.dot(x.baseAddress! + base, h, count: taps)
                            } else {
                                acc = DSPKernels.interpolatedDot(x.baseAddress! + base, h, h + taps,
                                                                 weight: Float(phase - Double(row)), count: taps)
                            }
                            out[k * channelCount + c] = acc
                        }
                    }
                }
            }
        }
        nextOutput = end
        // Drop input no future output can reach.
        let keepFrom = position(of: nextOutput).index - half + 1
        let drop = min(max(0, keepFrom - firstFrame), history[0].count)
        if drop > 0 {
            for c in 0..<channels { history[c].removeFirst(drop) }
            firstFrame += drop
        }
        return PCMBuffer(format: outputFormat, samples: output)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
