#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a sound card on the controller's time line, as a value: fed a measurement of where the
/// card is before each slice a renderer writes (~100 ms), it says how many frames to insert or
/// delete in that slice, or, far off the line, to re-join at once. No clock, no I/O: the
/// renderer measures and performs, tests drive it with a simulated card.
///
/// Method (docs/ARCHITECTURE.md, "Output rate correction"):
/// - the error is where the card is on the time line minus where it should be — the timeline
///   instant of the sample sounding now, less now: `(written − net − queued) / rate − expected`,
///   where `net` counts the frames this corrector inserted (less those it deleted), so a
///   correction counts as soon as it is written (a Smith predictor: the loop never waits for its
///   own corrections to travel through the card's queue, so it cannot overshoot them);
/// - a two-state Kalman filter (phase error, card drift) smooths it against measurement jitter
///   (a period's granularity in `snd_pcm_delay`, scheduling): in steady state it is a PI loop
///   whose gains follow the jitter it observes (estimated from the innovations);
/// - the correction rate is the drift estimate plus the phase error pulled in over `pullSeconds`,
///   capped at `maxSlewPpm`, with dead bands so a perfect card is left alone; it becomes single
///   frames spread over the slice (`FrameSplicer`);
/// - an error beyond `rejoinMs` in two measurements in a row (an underrun, a link gap) re-joins:
///   silence when early, frames skipped when late, landing on the right sample at once; the
///   drift estimate survives it.
public struct RateCorrector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// The sample sounding should stay this close to the time line.
        public var toleranceMs = 0.5
        /// Further off than this (twice in a row), re-join at once instead of slewing.
        public var rejoinMs = 50.0
        /// The fastest inaudible slew: 5000 ppm is one frame in 200, half a millisecond a
        /// 100 ms slice; for speech on horns below what a listener hears as pitch (~0.6 %).
        public var maxSlewPpm = 5_000.0
        /// How fast an estimated phase error is pulled in (seconds for the error to halve, roughly).
        public var pullSeconds = 2.0
        /// A phase error estimated below this is left alone (never chase noise).
        public var phaseDeadBandMs = 0.05
        /// The jitter assumed of a measurement before the filter has seen any (std, ms).
        public var initialJitterMs = 2.0
        /// The jitter is never assumed below this (std, ms).
        public var minJitterMs = 0.02
        /// How much the card's drift may wander (ppm per √hour): crystals move with temperature.
        public var driftWanderPpmPerRootHour = 1.0
        /// A bulletin's start is never skipped: while its first `startGraceSeconds` of sound
        /// have not been heard, a card found later than `rejoinMs` (a device slow to start,
        /// as a PulseAudio sink can be by seconds) moves the line instead, as `StartAlignment`
        /// does for a late start. Live streams join late by skipping, so leave it off for them.
        public var movesLineWhenLateAtStart = false
        public var startGraceSeconds = 1.0

        public init() {}
    }

    /// One look at the card, taken just before a slice is written.
    public struct Measurement: Sendable, Equatable {
        /// Controller time of the measurement, ns.
        public var now: Int64
        /// Output frames written since the time line's origin (corrections and silence included).
        public var written: Int
        /// Frames queued ahead of the speaker at `now` (fractional when the output can tell).
        public var queued: Double
        /// The time-line frame that should be sounding at `now` (frames since the origin).
        public var expected: Double

        public init(now: Int64, written: Int, queued: Double, expected: Double) {
            self.now = now
            self.written = written
            self.queued = queued
            self.expected = expected
        }
    }

    /// What to do with the next slice.
    public enum Action: Sendable, Equatable {
        case none
        /// Insert (positive) or delete (negative) this many single frames, spread over the slice.
        case adjust(frames: Int)
        /// Off the line: write this many frames of silence before the slice (positive, early) or
        /// skip this many frames of sound (negative, late).
        case rejoin(frames: Int)
    }

    /// What the corrector believes, for the status and the logs.
    public struct Estimate: Sendable, Equatable {
        /// Filtered error: positive = the card plays ahead of the time line, ms.
        public var errorMs: Double
        /// The last measurement's raw error, ms.
        public var rawErrorMs: Double
        /// The card's estimated drift: positive = it runs fast, ppm.
        public var driftPpm: Double
        /// How sure the filter is of it (one standard deviation), ppm.
        public var driftSigmaPpm: Double
        public var inserted: Int
        public var deleted: Int
        public var rejoins: Int
    }

    public let sampleRate: Int
    public let settings: Settings
    /// Inserted minus deleted frames (re-joins included), since the origin.
    public private(set) var net = 0
    public private(set) var inserted = 0
    public private(set) var deleted = 0
    public private(set) var rejoins = 0
    // Kalman state: phase error (s), drift (s/s) and their covariance.
    private var phase = 0.0
    private var drift = 0.0
    private var p00: Double
    private var p01 = 0.0
    private var p11: Double
    /// Estimated measurement noise variance (s²), from the innovations.
    private var jitterVariance: Double
    private var lastNow: Int64?
    /// Correction written since the last measurement (s of time line), for the prediction.
    private var pendingCorrection = 0.0
    /// Fraction of a frame owed by the rate (carried between slices).
    private var owed = 0.0
    private var farOffInARow = 0
    /// The time line was just placed (a seam after silence): any error beyond tolerance re-joins.
    private var atSeam = false
    private var rawError = 0.0
    private var measurements = 0
    /// How far the line was moved because the card started late (s, negative = later).
    public private(set) var lineShift = 0.0

    /// - Parameter driftHint: the same card's drift from an earlier item (ppm), so a new item
    ///   starts corrected instead of learning it again.
    public init(sampleRate: Int, settings: Settings = Settings(), driftHint: Double? = nil) {
        self.sampleRate = max(1, sampleRate)
        self.settings = settings
        let jitter = settings.initialJitterMs / 1000
        jitterVariance = jitter * jitter
        p00 = jitter * jitter
        if let driftHint {
            drift = driftHint / 1e6
            p11 = pow(20e-6, 2)
        } else {
            p11 = pow(1_000e-6, 2)
        }
    }

    public var estimate: Estimate {
        Estimate(errorMs: phase * 1000, rawErrorMs: rawError * 1000, driftPpm: drift * 1e6,
                 driftSigmaPpm: p11.squareRoot() * 1e6, inserted: inserted, deleted: deleted, rejoins: rejoins)
    }

    /// Where the card is, in seconds off the time line (positive = ahead), by `measurement` alone.
    public func error(of measurement: Measurement) -> Double {
        (Double(measurement.written - net) - measurement.queued - measurement.expected) / Double(sampleRate) - lineShift
    }

    /// The caller placed the next frame (index `written`) at `timelineFrame` itself (a live
    /// payload placed by its presentation time after silence): the time line moves, the
    /// filtered error with it, and the next measurement re-joins if the placement is off.
    public mutating func place(written: Int, timelineFrame: Double) {
        let newNet = written - Int(timelineFrame.rounded())
        phase -= Double(newNet - net) / Double(sampleRate)
        net = newNet
        atSeam = true
    }

    /// Takes a measurement and decides what to do with the next slice of `sliceFrames`.
    public mutating func next(_ measurement: Measurement, sliceFrames: Int) -> Action {
        let z = error(of: measurement)
        rawError = z
        measurements += 1
        let rejoinLimit = settings.rejoinMs / 1000
        let heard = Double(measurement.written - net) - measurement.queued
        if settings.movesLineWhenLateAtStart, z < -rejoinLimit, heard < settings.startGraceSeconds * Double(sampleRate) {
            lineShift += z
            phase = 0
            farOffInARow = 0
            return .none
        }
        if abs(z) > rejoinLimit {
            farOffInARow += 1
            // Once could be a glitch in the measurement; twice is where the card really is.
            if farOffInARow >= 2 || atSeam { return rejoin(by: z, now: measurement.now) }
            return .none
        }
        farOffInARow = 0
        filter(z, now: measurement.now)
        if atSeam {
            atSeam = false
            // The filter's phase once it has a history (shifted with the placement); a first
            // look has only the measurement itself.
            let off = measurements <= 1 ? z : phase
            if abs(off) > settings.toleranceMs / 1000 { return rejoin(by: off, now: measurement.now) }
        }
        return slew(sliceFrames: sliceFrames)
    }

    private mutating func filter(_ z: Double, now: Int64) {
        let dt = lastNow.map { max(0, Double(now - $0) / 1e9) } ?? 0
        lastNow = now
        // Predict: the card moved by its drift, the corrections written moved the time line back.
        phase += drift * dt - pendingCorrection
        pendingCorrection = 0
        let wander = pow(settings.driftWanderPpmPerRootHour * 1e-6, 2) / 3_600
        p00 += 2 * dt * p01 + dt * dt * p11 + 1e-13 * dt
        p01 += dt * p11
        p11 += wander * dt
        // Update.
        let innovation = z - phase
        let s = p00 + jitterVariance
        if innovation * innovation > 25 * s && measurements > 10 {
            // A spike (a late wake-up, a stale pointer): learn its size, not its value.
            jitterVariance = min(jitterVariance * 1.5, pow(settings.rejoinMs / 1000, 2))
            return
        }
        let k0 = p00 / s, k1 = p01 / s
        phase += k0 * innovation
        drift += k1 * innovation
        let (old00, old01) = (p00, p01)
        p00 = old00 - k0 * old00
        p01 = old01 - k0 * old01
        p11 -= k1 * old01
        // The jitter follows what the innovations show (their variance less the filter's own).
        let observed = max(innovation * innovation - old00, pow(settings.minJitterMs / 1000, 2))
        jitterVariance += (observed - jitterVariance) / 50
    }

    private mutating func slew(sliceFrames: Int) -> Action {
        var rate = 0.0
        // Drift is corrected once the filter is sure of its sign.
        if abs(drift) > 2 * p11.squareRoot() { rate += drift }
        let deadBand = settings.phaseDeadBandMs / 1000
        if abs(phase) > deadBand { rate += (phase - (phase > 0 ? deadBand : -deadBand)) / settings.pullSeconds }
        let cap = settings.maxSlewPpm / 1e6
        rate = min(max(rate, -cap), cap)
        owed += rate * Double(sliceFrames)
        let frames = Int(owed.rounded(.towardZero))
        if rate == 0 { owed = 0 }
        owed -= Double(frames)
        guard frames != 0 else { return .none }
        record(frames)
        return .adjust(frames: frames)
    }

    private mutating func rejoin(by error: Double, now: Int64) -> Action {
        let frames = Int((error * Double(sampleRate)).rounded())
        farOffInARow = 0
        atSeam = false
        rejoins += 1
        owed = 0
        lastNow = now
        pendingCorrection = 0
        // After the jump the card sits on the line, as well as this measurement could tell.
        phase = error - Double(frames) / Double(sampleRate)
        p00 = max(p00, jitterVariance)
        guard frames != 0 else { return .none }
        net += frames
        if frames > 0 { inserted += frames } else { deleted -= frames }
        return .rejoin(frames: frames)
    }

    private mutating func record(_ frames: Int) {
        net += frames
        pendingCorrection += Double(frames) / Double(sampleRate)
        if frames > 0 { inserted += frames } else { deleted -= frames }
    }
}
