import Testing
@testable import LoaProtocol

/// SplitMix64: a seeded generator so the property test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ClockSyncTests {
    @Test func symmetricExchangeIsExact() {
        // Controller is 2.5 s ahead; 40 ms each way; 1 ms in the controller.
        let sample = ClockSample(t1: 1_000_000_000, t2: 3_540_000_000, t3: 3_541_000_000, t4: 1_081_000_000)
        #expect(sample.offset == 2_500_000_000)
        #expect(sample.delay == 80_000_000)
    }

    /// Network model: 30 ms base each way plus per-direction queueing that is near zero half
    /// the time and up to 150 ms otherwise, drawn independently (asymmetric). The min-delay
    /// filter over a window of 32 must land within 1 ms of the true offset.
    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func minDelayFilterRecoversTheOffsetWithin1ms(seed: UInt64) {
        var rng = SeededGenerator(state: seed)
        for _ in 0..<50 {
            let trueOffset = Int64.random(in: -5_000_000_000...5_000_000_000, using: &rng)
            var filter = ClockSyncFilter(window: 32)
            var gatewayTime: Int64 = 1_767_225_600_000_000_000
            func queueing() -> Int64 {
                Bool.random(using: &rng) ? Int64.random(in: 0...400_000, using: &rng)
                                         : Int64.random(in: 0...150_000_000, using: &rng)
            }
            for _ in 0..<32 {
                let up = 30_000_000 + queueing()
                let down = 30_000_000 + queueing()
                let processing = Int64.random(in: 10_000...2_000_000, using: &rng)
                let t1 = gatewayTime
                let t2 = t1 + up + trueOffset
                let t3 = t2 + processing
                let t4 = t3 - trueOffset + down
                filter.add(ClockSample(t1: t1, t2: t2, t3: t3, t4: t4))
                gatewayTime = t4 + 1_000_000_000
            }
            let estimate = filter.offset!
            #expect(abs(estimate - trueOffset) < 1_000_000, "seed \(seed): off by \(abs(estimate - trueOffset)) ns")
            #expect(ClockSyncFilter.estimate(filter.samples) == estimate)
        }
    }

    @Test func windowKeepsOnlyTheNewestSamplesAndDropsNegativeDelays() {
        var filter = ClockSyncFilter(window: 2)
        filter.add(ClockSample(t1: 0, t2: 1, t3: 1, t4: 2))
        filter.add(ClockSample(t1: 0, t2: 5, t3: 5, t4: 10))
        filter.add(ClockSample(t1: 0, t2: 3, t3: 3, t4: 6))
        filter.add(ClockSample(t1: 10, t2: 0, t3: 0, t4: 5))
        #expect(filter.samples.count == 2)
        #expect(filter.best == ClockSample(t1: 0, t2: 3, t3: 3, t4: 6))
    }
}
