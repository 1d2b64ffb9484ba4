import Foundation
import Testing
@testable import LoaAudio

/// `loactl audio …` as a person runs it: a real process, real files.
@Suite struct LoactlAudioTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory("loactl") }

    func loactl(_ arguments: String...) throws -> ToolRun {
        try Tool.run(Tool.built("loactl"), ["audio"] + arguments)
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = dir.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func encodeThenDecodeKeepsTheExactLength() throws {
        defer { dir.cleanup() }
        let wav = try write(WAVFile(audio: Signal.sine(frequency: 1000, seconds: 2.5, format: .speech)).encoded(), "in.wav")
        let mp3 = dir.path("out.mp3"), back = dir.path("back.wav")
        let encoded = try loactl("encode", wav, mp3)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(encoded.stderr.isEmpty) // no progress noise when stderr is not a terminal
        #expect(try loactl("decode", mp3, back).status == 0)
        let decoded = try WAVFile.read(path: back)
        #expect(decoded.audio.format == .speech)
        #expect(decoded.audio.frameCount == 60_000)
    }

    /// Each bad input: one line naming the problem, a sysexits code, no crash, no output file.
    @Test(arguments: [
        ("truncated.wav", "truncated", Int32(65)),
        ("text.wav", "neither WAV nor MP3", 65),
        ("random.mp3", "MP3", 65),
        ("empty.wav", "empty", 65),
        ("missing.wav", "cannot read", 66),
    ])
    func badInputIsAClearError(name: String, expected: String, status: Int32) throws {
        defer { dir.cleanup() }
        var random = SystemRandomNumberGenerator()
        switch name {
        case "truncated.wav":
            _ = try write(Array(WAVFile(audio: Signal.sine(frequency: 440, seconds: 1, format: .speech)).encoded().prefix(10_000)), name)
        case "text.wav": _ = try write(Array("Đây là một tệp văn bản, không phải âm thanh.\n".utf8), name)
        case "random.mp3": _ = try write((0..<20_000).map { _ in UInt8.random(in: 0...255, using: &random) }, name)
        case "empty.wav": _ = try write([], name)
        default: break
        }
        for command in ["encode", "decode", "info", "play"] {
            let output = dir.path("out-\(command)")
            let result: ToolRun
            switch command {
            case "info": result = try loactl(command, dir.path(name))
            case "play": result = try loactl(command, dir.path(name), "--device", "file:FILE=\(output),FORMAT=raw")
            default: result = try loactl(command, dir.path(name), output)
            }
            #expect(result.status == status, "\(command) \(name): \(result.stderr)")
            #expect(result.stderr.hasPrefix("loactl: error: "))
            #expect(result.stderr.contains(expected) || command == "decode" || command == "info", "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func badOptionValueIsAUsageError() throws {
        defer { dir.cleanup() }
        let wav = try write(WAVFile(audio: Signal.sine(frequency: 1000, seconds: 0.5, format: .speech)).encoded(), "in.wav")
        let result = try loactl("encode", wav, dir.path("o.mp3"), "--bitrate", "47")
        #expect(result.status == 64)
        #expect(result.stderr.contains("47 kbit/s"))
    }

    @Test func infoReportsTheExactDurationAndLoudness() throws {
        defer { dir.cleanup() }
        let wav = try write(WAVFile(audio: Signal.sine(frequency: 1000, amplitude: 0.25, seconds: 3, format: AudioFormat(sampleRate: 44_100, channels: 2))).encoded(), "in.wav")
        let mp3 = dir.path("out.mp3")
        #expect(try loactl("encode", wav, mp3).status == 0)
        let result = try loactl("info", mp3, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable { var container: String; var sampleRate: Int; var channels: Int; var bitrateKbps: Double
            var samples: Int; var exactDuration: Bool; var loudnessLUFS: Double? }
        let report = try JSONDecoder().decode(Report.self, from: result.stdout)
        #expect(report.container == "MP3")
        #expect(report.sampleRate == 24_000 && report.channels == 1 && report.bitrateKbps == 48)
        #expect(report.samples == 72_000)   // 3 s at 24 kHz after resampling from 44.1 kHz
        #expect(report.exactDuration)
        // A 1 kHz sine at amplitude 0.25 (−12 dBFS peak) reads about −15.7 LUFS in BS.1770.
        #expect(abs((report.loudnessLUFS ?? 0) - -15.7) < 0.5)
        let table = try loactl("info", wav).stdoutText
        #expect(table.contains("44100 Hz") && table.contains("2 (stereo)") && table.contains("132300 samples"))
    }

    @Test func normalizeBringsSpeechToTheTarget() throws {
        defer { dir.cleanup() }
        let quiet = try write(WAVFile(audio: Signal.sine(frequency: 440, amplitude: 0.05, seconds: 2, format: .speech)).encoded(), "quiet.wav")
        let mp3 = dir.path("loud.mp3")
        let result = try loactl("encode", quiet, mp3, "--normalize", "--target=-18")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("normalised"))
        let info = try loactl("info", mp3, "--json").stdoutText
        let lufs = try #require((try JSONSerialization.jsonObject(with: Data(info.utf8)) as? [String: Any])?["loudnessLUFS"] as? Double)
        #expect(abs(lufs - -18) < 0.5)
        // Silence cannot be normalised: a clear error, exit 65.
        let silent = try write(WAVFile(audio: PCMBuffer(format: .speech, samples: [Float](repeating: 0, count: 24_000))).encoded(), "silent.wav")
        let refused = try loactl("encode", silent, dir.path("x.mp3"), "--normalize")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("silent"))
        // …but `info` describes it, in JSON too.
        let described = try loactl("info", silent, "--json")
        #expect(described.status == 0, "\(described.stderr)")
        #expect(described.stdoutText.contains("\"samples\" : 24000"))
    }

    @Test func playWritesEveryFrameAndRecordReturnsTheFedSamples() throws {
        defer { dir.cleanup() }
        let tone = Signal.sine(frequency: 1000, amplitude: 0.5, seconds: 1.5, format: .speech)
        let wav = try write(WAVFile(audio: tone).encoded(), "tone.wav")
        let raw = dir.path("played.raw")
        let played = try loactl("play", wav, "--device", "file:FILE=\(raw),FORMAT=raw", "--volume", "50")
        #expect(played.status == 0, "\(played.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: raw))
        #expect(bytes.count == tone.frameCount * 2)
        let samples = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }.map { Float($0) / 32768 }
        #expect(abs(Signal.rms(samples) / Signal.rms(tone.samples) - 0.5) < 0.01) // software volume 50 %

        // Record from a `type file` PCM whose infile is what was just played.
        let config = dir.path("mic.conf")
        try "pcm.mic { type file slave { pcm { type null } } file \"/dev/null\" infile \"\(raw)\" format \"raw\" }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let recordedPath = dir.path("recorded.wav")
        let recorded = try loactl("record", recordedPath, "--seconds", "1", "--device", "mic", "--alsa-config", config)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let back = try WAVFile.read(path: recordedPath).audio
        #expect(back.frameCount == 24_000)
        #expect(Array(back.samples.prefix(24_000)) == Array(samples.prefix(24_000)))
    }
}
