import Foundation
import Testing
@testable import LoaAudio

/// Cards with a skewed crystal: `PacedNullOutput`'s own skew, and `SimulatedSkewOutput` around any output.
@Suite struct SkewedOutputTests {
    static let format = AudioFormat(sampleRate: 24_000, channels: 1)

    @Test func aFastPacedNullOutputConsumesMoreFramesASecond() throws {
        let manual = ManualPacingClock()
        let output = PacedNullOutput(bufferTime: .seconds(2), clock: manual.clock, skewPpm: 1_000)
        #expect(output.isPaced)
        try output.open(format: Self.format)
        try output.write(int16: [Int16](repeating: 0, count: 24_000))
        manual.advance(.milliseconds(500))
        // Half a second at 24 024 frames a second.
        #expect(abs(output.measuredDelay() - (24_000 - 12_012)) < 0.01)
        #expect(output.delay() == 11_988)
        let slow = PacedNullOutput(bufferTime: .seconds(2), clock: manual.clock, skewPpm: -1_000)
        try slow.open(format: Self.format)
        try slow.write(int16: [Int16](repeating: 0, count: 24_000))
        manual.advance(.milliseconds(500))
        #expect(abs(slow.measuredDelay() - (24_000 - 11_988)) < 0.01)
    }

    @Test func anUnskewedPacedNullOutputKeepsItsExactDelays() throws {
        let manual = ManualPacingClock()
        let output = PacedNullOutput(bufferTime: .seconds(2), clock: manual.clock)
        try output.open(format: Self.format)
        try output.write(int16: [Int16](repeating: 0, count: 2_400))
        #expect(output.delay() == 2_400)
        manual.advance(.milliseconds(25))
        #expect(output.delay() == 1_800)
    }

    @Test func theSkewAdapterResamplesWhatIsWrittenAndReportsDelayInTheCallersFrames() throws {
        let memory = MemoryAudioOutput()
        let fast = SimulatedSkewOutput(wrapping: memory, skewPpm: 1_000)
        #expect(!fast.isPaced, "an unpaced output stays unpaced")
        try fast.open(format: Self.format)
        // A ramp in 100 ms writes: one second of the caller's frames is 1/1.001 of a second below.
        let ramp = (0..<24_000).map { Int16($0 % 20_000) }
        for start in stride(from: 0, to: ramp.count, by: 2_400) { try fast.write(int16: Array(ramp[start..<(start + 2_400)])) }
        let below = memory.samples
        #expect(abs(below.count - 23_976) <= 1, "\(below.count) frames")
        // Linear interpolation of a ramp is the ramp at the resampled positions.
        for index in stride(from: 0, to: 19_000, by: 997) {
            let expected = Double(index) * 1.001
            #expect(abs(Double(below[index]) - expected) <= 1, "frame \(index): \(below[index]) vs \(expected)")
        }

        let manual = ManualPacingClock()
        let paced = PacedNullOutput(bufferTime: .seconds(2), clock: manual.clock)
        let slow = SimulatedSkewOutput(wrapping: paced, skewPpm: -1_000)
        #expect(slow.isPaced)
        try slow.open(format: Self.format)
        try slow.write(int16: [Int16](repeating: 0, count: 24_000))
        // 24 000 of the caller's frames are 24 024 below; half a second later 12 024 remain,
        // which is 12 012 of the caller's.
        manual.advance(.milliseconds(500))
        #expect(abs(slow.measuredDelay() - 12_012) < 1.5, "\(slow.measuredDelay())")
    }
}
