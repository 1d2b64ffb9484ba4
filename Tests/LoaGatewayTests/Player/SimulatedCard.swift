import Foundation
@testable import LoaGateway

/// A sound card with a skewed crystal and a renderer driving it through a `RateCorrector`, in
/// simulated time: the card consumes `rate·(1+skew)` frames a second from a buffer of
/// `bufferFrames`; the renderer writes 100 ms slices whenever a slice fits (as a blocking write
/// returns), measuring before each one with a delay that is off by up to half a period either
/// way (seeded). It records the true error — the time-line instant of the sample sounding,
/// less now — from the frames the card really consumed and where the corrections sit in them.
struct SimulatedCard {
    var rate = 48_000
    var skewPpm = 0.0
    var bufferFrames = 9_600
    /// Measurement jitter: uniform over one period, centred.
    var periodFrames = 1_024
    var seed: UInt64 = 1
    var settings = RateCorrector.Settings()
    /// The drift an earlier item learnt of the same card (ppm), or nil.
    var driftHint: Double?

    struct Sample {
        var seconds: Double
        var trueErrorMs: Double
    }

    struct Run {
        var samples: [Sample] = []
        var corrector: RateCorrector
        /// Largest |true error| at or after `seconds`.
        func worstMs(after seconds: Double) -> Double {
            samples.lazy.filter { $0.seconds >= seconds }.map { abs($0.trueErrorMs) }.max() ?? 0
        }
        /// The first instant after which the error stays within `ms`.
        func settledSeconds(within ms: Double) -> Double {
            guard let last = samples.lastIndex(where: { abs($0.trueErrorMs) > ms }) else { return 0 }
            return last + 1 < samples.count ? samples[last + 1].seconds : .infinity
        }
    }

    /// Runs for `seconds`; at `jumpAt` the card falls `jumpMs` behind (an underrun: it stops that
    /// long) or, negative, jumps ahead (queued frames lost).
    func run(seconds: Double, jumpAt: Double? = nil, jumpMs: Double = 0) -> Run {
        var random = SeededRandom(state: seed)
        var corrector = RateCorrector(sampleRate: rate, settings: settings, driftHint: driftHint)
        let speed = Double(rate) * (1 + skewPpm / 1e6)
        let slice = rate / 10
        var written = 0  // output frames
        // Net correction at output-frame boundaries: (first output frame after it, net so far).
        var marks: [(index: Int, net: Int)] = [(0, 0)]
        var pauseStart = Double.infinity, pausedFrames = 0.0, jumped = false
        var t = 0.0
        var run = Run(corrector: corrector)

        func consumed(at t: Double) -> Double {
            guard t >= pauseStart else { return t * speed }
            // Stopped for a while (positive) or lost queued frames at once (negative).
            return max(pauseStart * speed, t * speed - pausedFrames)
        }
        func netBefore(_ index: Double) -> Double {
            // Marks are few per slice; walk back from the end.
            var i = marks.count - 1
            while i > 0 && Double(marks[i].index) > index { i -= 1 }
            return Double(marks[i].net)
        }
        while t < seconds {
            if let jumpAt, !jumped, t >= jumpAt {
                jumped = true
                pausedFrames = jumpMs / 1000 * speed
                pauseStart = t
            }
            let used = min(consumed(at: t), Double(written))
            let queue = Double(written) - used
            let sounding = used - netBefore(used)
            run.samples.append(Sample(seconds: t, trueErrorMs: (sounding / Double(rate) - t) * 1000))
            let jitter = (random.unit() - 0.5) * Double(periodFrames)
            let measured = max(0, queue + jitter)
            let action = corrector.next(.init(now: Int64(t * 1e9), written: written, queued: measured,
                                              expected: t * Double(rate)), sliceFrames: slice)
            switch action {
            case .none:
                written += slice
            case .adjust(let frames):
                // Spread over the slice: one mark in the middle is close enough at 100 ms.
                written += slice / 2
                marks.append((written, marks.last!.net + frames))
                written += slice - slice / 2 + frames
            case .rejoin(let frames):
                if frames > 0 {
                    marks.append((written, marks.last!.net + frames))  // silence first
                    written += frames + slice
                } else {
                    marks.append((written, marks.last!.net + frames))  // skipped: fewer output frames
                    written += slice
                }
            }
            // The next write returns when the slice after it fits in the buffer.
            let room = Double(written - bufferFrames + slice)
            let ready = max(t + 0.001, (room + pausedFrames) / speed)
            t = ready + random.unit() * 0.002  // the thread wakes a little late
        }
        run.corrector = corrector
        return run
    }
}

extension SeededRandom {
    /// A uniform draw in [0, 1), so a simulated hour is the same every run.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
