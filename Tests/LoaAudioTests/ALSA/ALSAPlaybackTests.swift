import Foundation
import Testing
@testable import LoaAudio

/// Plays through real ALSA into `type file` PCMs (no sound card needed) and checks the file.
@Suite("ALSA playback into a file PCM")
struct ALSAPlaybackTests {
    static let formats = [AudioFormat(sampleRate: 48_000, channels: 1), AudioFormat(sampleRate: 44_100, channels: 2),
                          AudioFormat(sampleRate: 24_000, channels: 1)]

    /// Plays 0.5 s of a 1 kHz sine at amplitude 0.5 and checks frame count and RMS.
    private func playSine(to device: ALSADevice, file: String, format: AudioFormat) throws {
        let output = ALSAPlayback(device: device, latency: .milliseconds(100))
        #expect(output.deviceState == "closed")
        try output.open(format: format)
        #expect(output.deviceState == "PREPARED", "ALSA's own state, as the health report shows it")
        let sine = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 0.5, format: format)
        try output.write(sine)
        try output.drain()
        output.close()
        #expect(output.deviceState == "closed")

        let samples = try RawPCMFile.read(file)
        #expect(RawPCMFile.fileSize(file) / 2 / format.channels == sine.frameCount)
        #expect(samples.count == sine.samples.count)
        let rms = RawPCMFile.rms(samples)
        #expect(abs(rms - 0.3536) / 0.3536 < 0.01, "RMS \(rms)")
        #expect(samples == sine.int16Samples(), "bytes in the file are exactly what was played")
    }

    @Test("in-memory config `type file` PCM", arguments: formats)
    func inMemoryFilePCM(format: AudioFormat) throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("out.raw")
        let text = "pcm.loatest { type file slave { pcm { type null } } file \"\(file)\" format \"raw\" perm 0644 }"
        try playSine(to: ALSADevice(name: "loatest", configText: text), file: file, format: format)
    }

    @Test("built-in file: PCM name", arguments: formats)
    func builtInFilePCM(format: AudioFormat) throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("out.raw")
        try playSine(to: .builtInFile(path: file), file: file, format: format)
    }

    @Test("filePCM helper writes many small writes in order, and Int16 writes exactly")
    func helperAndSmallWrites() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("out.raw")
        let format = AudioFormat(sampleRate: 16_000, channels: 2)
        let output = ALSAPlayback(device: .filePCM(path: file), latency: .milliseconds(50))
        try output.open(format: format)
        let ramp = (0..<20_000).map { Int16(truncatingIfNeeded: $0 * 3) }
        for start in stride(from: 0, to: ramp.count, by: 334) {  // odd-sized chunks: 167 frames
            try output.write(int16: Array(ramp[start..<min(start + 334, ramp.count)]))
        }
        try output.drain()
        output.close()
        #expect(try RawPCMFile.read(file) == ramp)
        #expect(output.underruns == 0)
    }

    @Test("open → write → drain → write again → close keeps everything")
    func reusableAfterDrain() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let file = dir.path("out.raw")
        let format = AudioFormat(sampleRate: 8_000, channels: 1)
        let output = ALSAPlayback(device: .filePCM(path: file))
        try output.open(format: format)
        try output.write(int16: [Int16](repeating: 1000, count: 4_000))
        try output.drain()
        try output.write(int16: [Int16](repeating: -1000, count: 4_000))
        try output.drain()
        output.close()
        output.close()  // twice is harmless
        let samples = try RawPCMFile.read(file)
        #expect(samples.count == 8_000)
        #expect(samples.first == 1000 && samples.last == -1000)
    }

    @Test("geometry reflects the requested latency")
    func geometry() throws {
        let dir = try TemporaryDirectory("loa-alsa")
        defer { dir.cleanup() }
        let output = ALSAPlayback(device: .filePCM(path: dir.path("out.raw")), latency: .milliseconds(100))
        try output.open(format: AudioFormat(sampleRate: 48_000, channels: 1))
        defer { output.close() }
        let geometry = try #require(output.bufferGeometry)
        #expect(geometry.periodFrames > 0 && geometry.periodFrames <= geometry.bufferFrames)
        #expect((2_400...9_600).contains(geometry.bufferFrames), "buffer \(geometry.bufferFrames) frames for 100 ms at 48 kHz")
    }
}
