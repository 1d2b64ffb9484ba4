import Foundation
import Testing
@testable import LoaAudio

@Suite struct WAVFileTests {
    @Test(arguments: WAVSampleFormat.allCases, [1, 2])
    func roundTripKeepsSamples(format: WAVSampleFormat, channels: Int) throws {
        let audio = Signal.sine(frequency: 440, amplitude: 0.7, seconds: 0.1,
                                format: AudioFormat(sampleRate: 44_100, channels: channels))
        let decoded = try WAVFile.decode(WAVFile(audio: audio, sampleFormat: format).encoded())
        #expect(decoded.sampleFormat == format)
        #expect(decoded.audio.format == audio.format)
        #expect(decoded.audio.frameCount == audio.frameCount)
        let tolerance: Float = format == .pcm8 ? 1.0 / 100 : 1.0 / 30_000
        let worst = zip(audio.samples, decoded.audio.samples).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance)
    }

    /// Files written by sox (an independent writer) in each encoding we claim to read.
    @Test(arguments: [("-b", "16", "-e", "signed-integer"), ("-b", "24", "-e", "signed-integer"),
                      ("-b", "32", "-e", "floating-point"), ("-b", "8", "-e", "unsigned-integer")])
    func readsFilesWrittenBySox(bits: String, depth: String, e: String, encoding: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path("tone.wav")
        try Tool.check("sox", ["-n", "-r", "22050", "-c", "2", bits, depth, e, encoding, path,
                               "synth", "0.5", "sine", "1000", "vol", "0.5"])
        let file = try WAVFile.read(path: path)
        #expect(file.audio.format == AudioFormat(sampleRate: 22_050, channels: 2))
        #expect(file.audio.frameCount == 11_025)
        let frequency = Signal.dominantFrequency(file.audio.channel(0), sampleRate: 22_050)
        #expect(abs(frequency - 1000) < 10)
        #expect(abs(Signal.rms(file.audio.samples) - 0.5 / 2.0.squareRoot()) < 0.01)
    }

    @Test func readsExtensibleFormatWrittenByFFmpeg() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path("ext.wav")
        // Six channels make ffmpeg write WAVE_FORMAT_EXTENSIBLE.
        try Tool.check("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=500:duration=0.2:sample_rate=48000",
                                  "-ac", "6", "-c:a", "pcm_s24le", path])
        let file = try WAVFile.read(path: path)
        #expect(file.sampleFormat == .pcm24)
        #expect(file.audio.format == AudioFormat(sampleRate: 48_000, channels: 6))
        #expect(file.audio.frameCount == 9600)
    }

    @Test func writesFilesThatSoxReads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path("ours.wav")
        try WAVFile(audio: Signal.sine(frequency: 1000, seconds: 1, format: .speech), sampleFormat: .pcm16).write(path: path)
        let info = try Tool.check("soxi", [path]).stdoutText
        #expect(info.contains("Sample Rate    : 24000"))
        #expect(info.contains("24000 samples"))
    }

    @Test func truncatedFileIsAClearError() throws {
        var bytes = WAVFile(audio: Signal.sine(frequency: 440, seconds: 0.5, format: .speech)).encoded()
        bytes.removeLast(1000)
        #expect {
            try WAVFile.decode(bytes)
        } throws: { error in
            guard case AudioError.corrupt(let message) = error else { return false }
            return message.contains("truncated") && message.contains("24000 bytes")
        }
    }

    @Test func headerOnlyFileIsTruncated() throws {
        let bytes = Array(WAVFile(audio: Signal.sine(frequency: 440, seconds: 0.1, format: .speech)).encoded().prefix(36))
        #expect(throws: AudioError.corrupt("truncated: no data chunk")) { try WAVFile.decode(bytes) }
    }

    @Test func textFileIsNotAWAV() {
        let bytes = Array("Bản tin sáng nay: không phải âm thanh.\n".utf8)
        #expect(throws: AudioError.unsupportedFormat("not a WAV file (no RIFF/WAVE header)")) { try WAVFile.decode(bytes) }
    }

    @Test func emptyFileIsEmpty() {
        #expect(throws: AudioError.empty("the file is empty")) { try WAVFile.decode([]) }
    }

    @Test func compressedWAVIsRefusedByName() throws {
        var bytes = WAVFile(audio: Signal.sine(frequency: 440, seconds: 0.1, format: .speech)).encoded()
        bytes[20] = 0x55 // wFormatTag 0x0055 = MPEG layer 3 inside RIFF
        #expect { try WAVFile.decode(bytes) } throws: { error in
            "\(error)".contains("WAV encoding 85")
        }
    }

    @Test func missingFileNamesThePath() {
        #expect { try WAVFile.read(path: "/nonexistent/bulletin.wav") } throws: { error in
            "\(error)".contains("/nonexistent/bulletin.wav")
        }
    }
}
