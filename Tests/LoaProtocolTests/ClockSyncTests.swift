import Foundation
import LoaTestSupport
import Testing
@testable import LoaProtocol

@Suite struct ClockSyncTests {
    @Test func symmetricExchangeIsExact() {
        // Controller is 2.5 s ahead; 40 ms each way; 1 ms in the controller.
        let sample = ClockSample(t1: 1_000_000_000, t2: 3_540_000_000, t3: 3_541_000_000, t4: 1_081_000_000)
        #expect(sample.offset == 2_500_000_000)
        #expect(sample.delay == 80_000_000)
    }

    /// A 4G-like link: each direction 20 ms of propagation plus queueing; requests wait
    /// 0–40 ms (uniform: 40 ms ± 20 ms in all), replies 0–80 ms, exponentially (asymmetric:
    /// most replies are quick, some wait long), and 5 % of packets in each direction stall
    /// +300 ms. The gateway's crystal is `ppm` off; one exchange every `interval` seconds.
    struct FourGLink {
        var rng: SeededGenerator
        let controllerAtStart: Int64 = 1_796_000_000_123_456_789
        let frequency: Double
        let processing: Int64 = 50_000

        init(seed: UInt64, ppm: Double) {
            rng = SeededGenerator(state: seed)
            frequency = ppm * 1e-6
        }

        /// Controller time at local monotonic `g` (ns since the gateway booted).
        func controller(_ g: Int64) -> Int64 { controllerAtStart + g + Int64((Double(g) * frequency).rounded()) }
        func local(_ c: Int64) -> Int64 { Int64((Double(c - controllerAtStart) / (1 + frequency)).rounded()) }

        mutating func spike() -> Int64 { Double.random(in: 0..<1, using: &rng) < 0.05 ? 300_000_000 : 0 }

        mutating func exchange(at g: Int64) -> ClockSample {
            let up = 20_000_000 + Int64.random(in: 0...40_000_000, using: &rng) + spike()
            let down = 20_000_000 + Int64((-log(1 - Double.random(in: 0..<1, using: &rng)) * 15_000_000).rounded(.down)) + spike()
            let t2 = controller(g + up)
            let t3 = t2 + processing
            return ClockSample(t1: g, t2: t2, t3: t3, t4: local(t3 + down))
        }
    }

    /// An hour and a half of exchanges, one every 2 s, through the discipline: after how many
    /// exchanges the frequency stays within 1 ppm, and the offset error (at each reply, against
    /// the truth) from exchange 600 on — median, 95th percentile and worst, in µs — and by how
    /// far the error ever left the estimate's own bound.
    static func converge(seed: UInt64, ppm: Double, exchanges: Int = 2_700) -> (frequency: Int, median: Double, p95: Double, worst: Double, boundMiss: Int64) {
        var link = FourGLink(seed: seed, ppm: ppm)
        var discipline = ClockDiscipline()
        var lastFrequencyMiss = 0
        var boundMiss: Int64 = 0
        var errors: [Double] = []
        var g: Int64 = 5_000_000_000
        for n in 1...exchanges {
            let sample = link.exchange(at: g)
            let estimate = discipline.add(sample)!
            let error = estimate.offset(at: sample.t4) - (link.controller(sample.t4) - sample.t4)
            if n > 600 { errors.append(Double(abs(error)) / 1_000) }
            if abs(estimate.frequency - link.frequency) > 1e-6 { lastFrequencyMiss = n }
            boundMiss = max(boundMiss, abs(error) - estimate.bound)
            g += 2_000_000_000
        }
        errors.sort()
        return (lastFrequencyMiss + 1, errors[errors.count / 2], errors[errors.count * 95 / 100], errors.last!, boundMiss)
    }

    /// The goal, ≤ 100 µs and ≤ 1 ppm, on 4G-like jitter (uniform queueing: the
    /// hardest case for a minimum-delay method, few exchanges near the minimum). Measured, seeds
    /// 1–3, crystals at +100, −100 and +37 ppm: the frequency within 1 ppm after 230–330
    /// exchanges; from exchange 600 on (20 minutes at one every 2 s) the median offset error is
    /// 14–49 µs, the 95th percentile 108–128 µs, the worst 124–329 µs. The 100 µs goal holds
    /// for the median, not for every estimate. The error never leaves the estimate's own bound.
    @Test(arguments: [(1, 100.0), (2, -100.0), (3, 37.0)] as [(UInt64, Double)])
    func disciplineConvergesOnA4GLink(seed: UInt64, ppm: Double) {
        let run = Self.converge(seed: seed, ppm: ppm)
        print("clock discipline, seed \(seed), \(ppm) ppm: within 1 ppm after \(run.frequency) exchanges; offset error after 600: "
              + "median \(Int(run.median)) µs, p95 \(Int(run.p95)) µs, worst \(Int(run.worst)) µs")
        #expect(run.frequency <= 400, "seed \(seed), \(ppm) ppm: frequency within 1 ppm only after \(run.frequency) exchanges")
        #expect(run.median <= 60, "seed \(seed), \(ppm) ppm: median offset error \(run.median) µs")
        #expect(run.p95 <= 200 && run.worst <= 400, "seed \(seed), \(ppm) ppm: p95 \(run.p95) µs, worst \(run.worst) µs")
        #expect(run.boundMiss <= 0, "seed \(seed): the error left the bound by \(run.boundMiss) ns")
    }

    /// The controller's clock stepped by +5 s (someone set it): exchanges before and after admit
    /// no common line, the window is cut to the newer ones and the estimate follows the step.
    @Test func aStepOfTheControllersClockIsFollowed() {
        var link = FourGLink(seed: 9, ppm: 20)
        var discipline = ClockDiscipline()
        var g: Int64 = 0
        for _ in 0..<300 {
            discipline.add(link.exchange(at: g))
            g += 2_000_000_000
        }
        var after: ClockEstimate?
        for _ in 0..<20 {
            var sample = link.exchange(at: g)
            sample.t2 += 5_000_000_000
            sample.t3 += 5_000_000_000
            after = discipline.add(sample)
            g += 2_000_000_000
        }
        let truth = link.controller(g) + 5_000_000_000 - g
        let error = try! #require(after).offset(at: g) - truth
        #expect(abs(error) < 40_000_000, "off by \(error) ns after the step")
        #expect(discipline.samples.count < 60, "old exchanges kept: \(discipline.samples.count)")
    }

    /// Before the window spans a minute the frequency is held (0 at first) and only the offset
    /// moves; one exchange gives its own offset, bounded by half its delay.
    @Test func aFewExchangesGiveTheOffsetAndHoldTheFrequency() {
        var discipline = ClockDiscipline()
        let first = discipline.add(ClockSample(t1: 1_000_000_000, t2: 3_540_000_000, t3: 3_541_000_000, t4: 1_081_000_000))!
        #expect(first.offset == 2_500_000_000 && first.frequency == 0 && first.bound == 40_000_000 && first.samples == 1)
        // A quicker second exchange narrows the band.
        let second = discipline.add(ClockSample(t1: 2_000_000_000, t2: 4_510_000_000, t3: 4_510_000_000, t4: 2_020_000_000))!
        #expect(second.bound == 10_000_000 && second.offset == 2_500_000_000)
        #expect(second.controllerTime(at: 3_000_000_000) == 5_500_000_000)
        #expect(discipline.add(ClockSample(t1: 10, t2: 0, t3: 0, t4: 5)) == second, "a negative delay is dropped")
    }

    @Test func oldExchangesExpireByCountAndAge() {
        var settings = ClockDiscipline.Settings()
        settings.window = 3
        settings.maxAge = 10_000_000_000
        var discipline = ClockDiscipline(settings: settings)
        for i in 0..<5 as Range<Int64> {
            discipline.add(ClockSample(t1: i * 1_000_000_000, t2: i * 1_000_000_000 + 7, t3: i * 1_000_000_000 + 8, t4: i * 1_000_000_000 + 15))
        }
        #expect(discipline.samples.map(\.t1) == [2_000_000_000, 3_000_000_000, 4_000_000_000])
        discipline.add(ClockSample(t1: 20_000_000_000, t2: 20_000_000_007, t3: 20_000_000_008, t4: 20_000_000_015))
        #expect(discipline.samples.map(\.t1) == [20_000_000_000], "exchanges older than maxAge are gone")
    }
}
