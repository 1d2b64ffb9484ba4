import Foundation
import Testing
@testable import LoaAudio

/// Records from a `type file` PCM fed by `infile` and checks the samples come back exactly.
@Suite("ALSA capture from a file PCM")
struct ALSACaptureTests {
    @Test("capture returns the fed samples exactly", arguments: [1, 2])
    func capturesFedSamples(channels: Int) throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let format = AudioFormat(sampleRate: 16_000, channels: channels)
        // A pattern no silence or shifted copy can match: a pseudo-random sequence.
        var state: UInt32 = 12_345
        let fed = (0..<(16_000 * channels)).map { _ -> Int16 in
            state = state &* 1_103_515_245 &+ 12_345
            return Int16(truncatingIfNeeded: state >> 16)
        }
        try RawPCMFile.write(fed, to: dir.path("mic.raw"))
        let input = ALSACapture(device: .filePCM(path: dir.path("echo.raw"), inputPath: dir.path("mic.raw")),
                                latency: .milliseconds(100))
        try input.open(format: format)
        let period = try #require(input.bufferGeometry).periodFrames
        var got: [Int16] = []
        while got.count < fed.count {
            got += try input.read(frames: min(period, (fed.count - got.count) / channels))
        }
        #expect(got == fed)
        // Past the end of the file the device delivers silence, not an error.
        #expect(try input.read(frames: period).allSatisfy { $0 == 0 })
        input.close()
    }

    @Test("one read of many periods is split into period-sized reads and stays exact")
    func largeReadIsChunked() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let format = AudioFormat(sampleRate: 8_000, channels: 1)
        let fed = (0..<24_000).map { Int16(truncatingIfNeeded: $0 &* 7) }
        try RawPCMFile.write(fed, to: dir.path("mic.raw"))
        let input = ALSACapture(device: .filePCM(path: dir.path("echo.raw"), inputPath: dir.path("mic.raw")),
                                latency: .milliseconds(50))
        try input.open(format: format)
        defer { input.close() }
        let buffer = try input.readBuffer(frames: 24_000)  // far larger than the device buffer
        #expect(buffer.int16Samples() == fed)
    }

    @Test("reading a closed input fails clearly")
    func readAfterClose() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        try RawPCMFile.write([1, 2, 3], to: dir.path("mic.raw"))
        let input = ALSACapture(device: .filePCM(path: dir.path("echo.raw"), inputPath: dir.path("mic.raw")))
        try input.open(format: AudioFormat(sampleRate: 8_000, channels: 1))
        input.close()
        #expect(throws: AudioError.self) { try input.read(frames: 10) }
    }
}
