import Testing
@testable import LoaAudio

@Test func int16RoundTripClipsAndRounds() {
    let buffer = PCMBuffer(format: .speech, samples: [0, 0.5, -1, 1.5, -1.5])
    #expect(buffer.int16Samples() == [0, 16384, -32768, 32767, -32768])
    #expect(PCMBuffer(format: .speech, int16: [16384]).samples == [0.5])
}
