import Foundation
@testable import LoaAudio

/// External references for the DSP tests: raw float files that sox and ffmpeg read and write,
/// and ffmpeg's ebur128 filter as the loudness reference.
enum ReferenceAudio {
    /// Writes interleaved little-endian Float32 (what `-f f32le` / `-t raw -e floating-point` read).
    static func writeRaw(_ buffer: PCMBuffer, to path: String) throws {
        let data = buffer.samples.withUnsafeBufferPointer { Data(buffer: $0) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Converts any file sox reads to a PCMBuffer at its own rate and channel count.
    static func load(_ path: String, scratch: TemporaryDirectory) throws -> PCMBuffer {
        let rate = Int(try Tool.check("soxi", ["-r", path]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))!
        let channels = Int(try Tool.check("soxi", ["-c", path]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))!
        let raw = scratch.path("load-\(UUID().uuidString.prefix(6)).f32")
        try Tool.check("sox", [path, "-t", "raw", "-e", "floating-point", "-b", "32", raw])
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return PCMBuffer(format: AudioFormat(sampleRate: rate, channels: channels), samples: samples)
    }

    /// ffmpeg's EBU R128 summary for `buffer`.
    struct EBUR128: CustomStringConvertible {
        var integrated: Double?
        var samplePeakDBFS: Double
        var truePeakDBFS: Double
        var description: String { "I \(integrated.map { "\($0)" } ?? "-inf") LUFS, sample peak \(samplePeakDBFS), true peak \(truePeakDBFS)" }
    }

    static func ffmpegLoudness(_ buffer: PCMBuffer, scratch: TemporaryDirectory) throws -> EBUR128 {
        let raw = scratch.path("ffmpeg-\(UUID().uuidString.prefix(6)).f32")
        try writeRaw(buffer, to: raw)
        let run = try Tool.check("ffmpeg", ["-nostats", "-hide_banner", "-f", "f32le", "-ar", "\(buffer.format.sampleRate)",
                                            "-ac", "\(buffer.format.channels)", "-i", raw,
                                            "-af", "ebur128=peak=true+sample", "-f", "null", "-"])
        guard let summary = run.stderr.range(of: "Summary:") else { throw ToolFailure(description: "no ebur128 summary: \(run.stderr)") }
        let lines = run.stderr[summary.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func value(after prefix: String, section: String? = nil) -> Double? {
            var start = lines.startIndex
            if let section, let found = lines.firstIndex(where: { $0.hasPrefix(section) }) { start = found }
            guard let line = lines[start...].first(where: { $0.hasPrefix(prefix) }) else { return nil }
            let token = line.dropFirst(prefix.count).split(separator: " ").first.map(String.init) ?? ""
            return token == "-inf" ? -.infinity : Double(token)
        }
        let integrated = value(after: "I:")
        return EBUR128(integrated: integrated.flatMap { $0 < -69 ? nil : $0 },
                       samplePeakDBFS: value(after: "Peak:", section: "Sample peak:") ?? .nan,
                       truePeakDBFS: value(after: "Peak:", section: "True peak:") ?? .nan)
    }
}
