/// `LoudnessMeter` for a stream: add chunks as they are decoded, `finish()` at the end. Gives
/// the same measurement as `LoudnessMeter.measure` over the concatenated chunks, bit for bit:
/// the K-weighting filters, the 100 ms step sums and the true-peak windows carry across chunks.
///
/// Memory: the filter and true-peak state, plus one Double per 100 ms step (the gates need every
/// block at the end): 288 KB for an hour.
public struct StreamingLoudnessMeter: Sendable {
    public let format: AudioFormat
    private let weights: [Double]
    private let step: Int
    private var filters: [KWeightingFilter]
    /// K-weighted sum of squares of the current, unfinished step, per channel.
    private var partial: [Double]
    private var framesInStep = 0
    private var stepEnergy: [Double] = []
    private var frames = 0
    private var samplePeak: Float = 0
    private var truePeak: StreamingTruePeak

    public init(format: AudioFormat, truePeakOversampling: Int = 4) {
        self.format = format
        weights = LoudnessMeter.channelWeights(format.channels)
        step = Int((Double(format.sampleRate) / 10).rounded())
        filters = Array(repeating: KWeightingFilter(sampleRate: Double(format.sampleRate)), count: format.channels)
        partial = Array(repeating: 0, count: format.channels)
        truePeak = StreamingTruePeak(meter: TruePeakMeter(factor: truePeakOversampling), channels: format.channels)
    }

    public mutating func add(_ chunk: PCMBuffer) {
        precondition(chunk.format == format, "meter built for \(format), got \(chunk.format)")
        let channels = format.channels, count = chunk.frameCount
        guard count > 0, step > 0 else { return }
        var completed: [[Double]] = Array(repeating: [], count: channels)
        chunk.samples.withUnsafeBufferPointer { x in
            for c in 0..<channels where weights[c] != 0 {
                var filter = filters[c]
                var sum = partial[c], inStep = framesInStep
                for i in 0..<count {
                    let y = filter.process(Double(x[i * channels + c]))
                    sum += y * y
                    inStep += 1
                    if inStep == step {
                        completed[c].append(sum)
                        sum = 0
                        inStep = 0
                    }
                }
                filters[c] = filter
                partial[c] = sum
            }
            var peak = samplePeak
            for v in x { peak = max(peak, abs(v)) }
            samplePeak = peak
        }
        let newSteps = (framesInStep + count) / step
        for s in 0..<newSteps {
            var energy = 0.0
            for c in 0..<channels where weights[c] != 0 { energy += weights[c] * completed[c][s] }
            stepEnergy.append(energy)
        }
        framesInStep = (framesInStep + count) % step
        frames += count
        truePeak.add(chunk)
    }

    /// The measurement of everything added.
    public mutating func finish() -> LoudnessMeasurement {
        var powers: [Double] = []
        if stepEnergy.count >= 4 {
            let blockLength = Double(4 * step)
            powers = (0...(stepEnergy.count - 4)).map { b in
                (stepEnergy[b] + stepEnergy[b + 1] + stepEnergy[b + 2] + stepEnergy[b + 3]) / blockLength
            }
        }
        let peak = Double(samplePeak)
        return LoudnessMeasurement(
            integratedLoudness: LoudnessMeter.integrate(powers), samplePeak: peak,
            truePeak: max(peak, truePeak.finish()),
            blockCount: powers.count, gatedBlockCount: powers.isEmpty ? 0 : LoudnessMeter.gated(powers).count,
            duration: Double(frames) / Double(format.sampleRate))
    }
}

/// `TruePeakMeter.peak(of:)` over a stream: each channel keeps the last taps of input, so the
/// oversampling windows straddle chunk boundaries exactly as they run over one buffer.
struct StreamingTruePeak: Sendable {
    let meter: TruePeakMeter
    let channels: Int
    /// Per channel: input from the first sample the next window needs (zeros before the start).
    private var pending: [[Float]]
    private var received = 0
    private var measured = 0
    private var peak: Float = 0

    init(meter: TruePeakMeter, channels: Int) {
        self.meter = meter
        self.channels = channels
        pending = Array(repeating: [Float](repeating: 0, count: meter.bank.halfTaps - 1), count: channels)
    }

    mutating func add(_ chunk: PCMBuffer) {
        let count = chunk.frameCount
        chunk.samples.withUnsafeBufferPointer { source in
            for c in 0..<channels {
                pending[c].reserveCapacity(pending[c].count + count)
                for i in 0..<count { pending[c].append(source[i * channels + c]) }
            }
        }
        received += count
        run(limit: received)
    }

    mutating func finish() -> Double {
        for c in 0..<channels { pending[c].append(contentsOf: repeatElement(0, count: meter.bank.halfTaps + 1)) }
        run(limit: received)
        return Double(peak)
    }

    /// Measures every output whose window is complete, up to `limit` outputs in all.
    private mutating func run(limit: Int) {
        let taps = meter.bank.tapsPerPhase, half = meter.bank.halfTaps, factor = meter.factor
        let windows = min(limit - measured, pending[0].count - taps + 1)
        guard windows > 0 else { return }
        var peak = self.peak
        for c in 0..<channels {
            pending[c].withUnsafeBufferPointer { x in
                meter.bank.coefficients.withUnsafeBufferPointer { table in
                    for i in 0..<windows {
                        peak = max(peak, abs(x[i + half - 1]))
                        for p in 1..<max(2, factor) where p < factor {
                            let acc = DSPKernels.dot(x.baseAddress! + i, table.baseAddress! + p * taps, count: taps)
                            peak = max(peak, abs(acc))
                        }
                    }
                }
            }
            pending[c].removeFirst(windows)
        }
        self.peak = peak
        measured += windows
    }
}
