import LoaAudio
import Testing
@testable import LoaGateway

@Suite struct FrameSplicerTests {
    static let ramp = PCMBuffer(format: AudioFormat(sampleRate: 24_000, channels: 2),
                                samples: (0..<200).flatMap { [Float($0), -Float($0)] })

    @Test func insertedFramesAreTheMeanOfTheirNeighboursSpreadOverTheSlice() {
        let out = FrameSplicer.splice(Self.ramp, frames: 4)
        #expect(out.frameCount == 204)
        let left = stride(from: 0, to: out.samples.count, by: 2).map { out.samples[$0] }
        // Still a ramp, never a step back: each insertion is half a step.
        #expect(zip(left, left.dropFirst()).allSatisfy { $1 - $0 == 0.5 || $1 - $0 == 1 })
        #expect(zip(left, left.dropFirst()).filter { $1 - $0 == 0.5 }.count == 8)
        #expect(out.samples[1] == -out.samples[0], "channels stay paired")
    }

    @Test func deletedPairsBecomeTheirMean() {
        let out = FrameSplicer.splice(Self.ramp, frames: -4)
        #expect(out.frameCount == 196)
        let left = stride(from: 0, to: out.samples.count, by: 2).map { out.samples[$0] }
        #expect(zip(left, left.dropFirst()).allSatisfy { $1 - $0 == 1 || $1 - $0 == 1.5 })
        #expect(left.first == 0 && left.last == 199)
    }

    @Test func nothingToDoOrATinySliceIsLeftAsItCan() {
        #expect(FrameSplicer.splice(Self.ramp, frames: 0) == Self.ramp)
        let one = PCMBuffer(format: .speech, samples: [0.5])
        #expect(FrameSplicer.splice(one, frames: 3) == one)
    }
}
