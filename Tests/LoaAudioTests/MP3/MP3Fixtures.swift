import Foundation
@testable import LoaAudio

/// MP3 files made by real encoders (lame, ffmpeg, sox) for the parser tests, and the
/// independent answers ffprobe and mpg123 give about them.
enum MP3Fixture: String, CaseIterable, CustomStringConvertible, Sendable {
    case lameCBR128Stereo, lameVBRV5Stereo, lameNoReplayGainMono22k, lameResample24, lame8kMPEG25
    case lameNoTag, lameID3v1Only, ffmpegSpeech48k, ffmpegVBRq5, soxDefault

    var description: String { rawValue }

    /// Whether the encoder wrote a LAME tag (it does not when the tag does not fit a frame).
    var hasLAMETag: Bool {
        switch self {
        case .lameCBR128Stereo, .lameVBRV5Stereo, .lameID3v1Only, .ffmpegSpeech48k, .ffmpegVBRq5: return true
        default: return false
        }
    }

    var hasID3v2: Bool {
        switch self {
        case .lameCBR128Stereo, .lameVBRV5Stereo, .ffmpegSpeech48k, .ffmpegVBRq5: return true
        default: return false
        }
    }

    var isVBR: Bool { self == .lameVBRV5Stereo || self == .ffmpegVBRq5 }

    /// Makes the file in `dir` and returns its path.
    func make(in dir: TemporaryDirectory) throws -> String {
        let stereo = dir.path("stereo44.wav"), speech = dir.path("speech22.wav")
        if !FileManager.default.fileExists(atPath: stereo) {
            try Tool.check("sox", ["-n", "-r", "44100", "-c", "2", "-b", "16", stereo, "synth", "3.3", "sine", "440", "sine", "660", "gain", "-6"])
            try Tool.check("espeak-ng", ["-v", "vi", "-w", speech, "Xin chào bà con, đây là bản tin của xã"])
        }
        let out = dir.path("\(rawValue).mp3")
        let title = "Tiêu đề"
        switch self {
        case .lameCBR128Stereo: try Tool.check("lame", ["--quiet", "-b", "128", "--tt", title, stereo, out])
        case .lameVBRV5Stereo: try Tool.check("lame", ["--quiet", "-V", "5", "--tt", title, stereo, out])
        case .lameNoReplayGainMono22k: try Tool.check("lame", ["--quiet", "--noreplaygain", "-b", "32", speech, out])
        case .lameResample24: try Tool.check("lame", ["--quiet", "--resample", "24", "-b", "48", stereo, out])
        case .lame8kMPEG25: try Tool.check("lame", ["--quiet", "--resample", "8", "-b", "8", speech, out])
        case .lameNoTag: try Tool.check("lame", ["--quiet", "-t", "-b", "64", stereo, out])
        case .lameID3v1Only: try Tool.check("lame", ["--quiet", "--id3v1-only", "--tt", "abc", "-b", "64", "--resample", "24", stereo, out])
        case .ffmpegSpeech48k:
            try Tool.check("ffmpeg", ["-loglevel", "error", "-y", "-i", speech, "-c:a", "libmp3lame", "-b:a", "48k", "-ar", "24000", "-ac", "1", out])
        case .ffmpegVBRq5:
            try Tool.check("ffmpeg", ["-loglevel", "error", "-y", "-i", stereo, "-c:a", "libmp3lame", "-q:a", "5", out])
        case .soxDefault: try Tool.check("sox", [stereo, out])
        }
        return out
    }

    /// Audio packets ffprobe's demuxer reads (it skips the Xing/Info frame as we do).
    static func ffprobePackets(_ path: String) throws -> Int {
        let run = try Tool.check("ffprobe", ["-v", "error", "-count_packets", "-select_streams", "a",
                                             "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path])
        return Int(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ","))))!
    }

    /// PCM frames per channel that mpg123 (gapless by default) decodes.
    static func mpg123Samples(_ path: String, channels: Int) throws -> Int {
        try Tool.check("mpg123", ["-q", "-s", path]).stdout.count / 2 / channels
    }
}
