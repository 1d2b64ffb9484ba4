import ArgumentParser
import Foundation
import LoaAudio

/// `loactl audio info FILE`
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Format, rate, channels, bitrate, exact duration and loudness (EBU R128) of a WAV or MP3 file."
    )

    @Argument(help: "A WAV or MP3 file.") var file: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    /// What `info` reports; also its JSON shape.
    struct Report: Codable {
        var file: String
        var container: String
        var encoding: String
        var sampleRate: Int
        var channels: Int
        var bitrateKbps: Double
        var vbr: Bool
        var samples: Int
        var durationSeconds: Double
        var exactDuration: Bool
        var loudnessLUFS: Double?
        /// Nil for digital silence (−∞ has no JSON spelling).
        var truePeakDBTP: Double?
        var samplePeakDBFS: Double?
    }

    func run() throws {
        try reportingFailures {
            let report = try Self.report(path: file)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.table(report))
            }
        }
    }

    static func report(path: String) throws -> Report {
        let bytes = try AudioFile.bytes(path: path)
        let loudness = LoudnessMeter()
        switch AudioFile.sniff(bytes) {
        case .wav:
            let wav = try WAVFile.decode(bytes)
            let audio = wav.audio
            let measured = loudness.measure(audio)
            return Report(
                file: path, container: "WAV", encoding: wav.sampleFormat.description,
                sampleRate: audio.format.sampleRate, channels: audio.format.channels,
                bitrateKbps: Double(audio.format.sampleRate * audio.format.channels * wav.sampleFormat.bytesPerSample * 8) / 1000,
                vbr: false, samples: audio.frameCount, durationSeconds: audio.duration, exactDuration: true,
                loudnessLUFS: measured.integratedLoudness, truePeakDBTP: finite(measured.truePeakDBTP),
                samplePeakDBFS: finite(measured.samplePeakDBFS))
        case .mp3:
            let info = try AudioFile.scanMP3(bytes).info
            let measured = loudness.measure(try MP3Decoder.decodeAll(bytes))
            return Report(
                file: path, container: "MP3",
                encoding: "\(info.version) Layer III" + (info.encoder.map { " (\($0))" } ?? ""),
                sampleRate: info.sampleRate, channels: info.channels,
                bitrateKbps: info.bitrate, vbr: info.isVBR, samples: info.sampleCount,
                durationSeconds: info.duration, exactDuration: info.isGapless,
                loudnessLUFS: measured.integratedLoudness, truePeakDBTP: finite(measured.truePeakDBTP),
                samplePeakDBFS: finite(measured.samplePeakDBFS))
        case nil:
            throw AudioError.unsupportedFormat("'\(path)' is neither WAV nor MP3")
        }
    }

    private static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    static func table(_ r: Report) -> String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        let rows: [(String, String)] = [
            ("file", r.file),
            ("format", "\(r.container), \(r.encoding)"),
            ("sample rate", "\(r.sampleRate) Hz"),
            ("channels", r.channels == 1 ? "1 (mono)" : r.channels == 2 ? "2 (stereo)" : "\(r.channels)"),
            ("bitrate", "\(f(r.bitrateKbps, 0)) kbit/s \(r.vbr ? "VBR (average)" : "CBR")"),
            ("duration", "\(f(r.durationSeconds, 3)) s (\(r.samples) samples\(r.exactDuration ? ", exact" : ", whole frames: no gapless tag"))"),
            ("loudness", r.loudnessLUFS.map { "\(f($0)) LUFS integrated (EBU R128)" } ?? "silent: loudness undefined"),
            ("peak", r.truePeakDBTP.map { "\(f($0)) dBTP true peak, \(f(r.samplePeakDBFS ?? $0)) dBFS sample peak" }
                ?? "digital silence"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
