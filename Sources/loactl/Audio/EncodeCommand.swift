import ArgumentParser
import LoaAudio

/// `loactl audio encode IN OUT.mp3`
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode a WAV (or re-encode an MP3) to MP3; speech defaults: 24 kHz mono 48 kbit/s CBR."
    )

    @Argument(help: "Input file: WAV or MP3.") var input: String
    @Argument(help: "Output MP3 file.") var output: String
    @Option(help: "Constant bitrate in kbit/s.") var bitrate: Int = 48
    @Option(help: "Variable bitrate quality 0 (best) … 9 (smallest), instead of --bitrate.") var vbr: Int?
    @Option(help: "Output sample rate in Hz.") var rate: Int = 24_000
    @Flag(inversion: .prefixedNo, help: "Down-mix to mono (--no-mono keeps stereo).") var mono = true
    @Option(help: "LAME algorithm quality 0 (best, slowest) … 9 (fastest).") var quality: Int = 3
    @Flag(help: "Normalise loudness (EBU R128) before encoding, as bulletin ingest does.") var normalize = false
    @Option(help: "Loudness target in LUFS for --normalize.") var target: Double = -16
    @Option(help: "True-peak ceiling in dBTP for --normalize.") var ceiling: Double = -1

    func run() throws {
        try reportingFailures {
            let source = try AudioFile.decode(path: input).audio
            let settings = MP3EncoderSettings(
                sampleRate: rate,
                channels: mono ? 1 : min(2, source.format.channels),
                bitrate: vbr.map { .variable(quality: $0) } ?? .constant(kbps: bitrate),
                quality: quality)
            var audio = try AudioConversion.convert(source, to: settings.format)
            if normalize {
                let result = try LoudnessNormalizer(targetLoudness: target, truePeakCeiling: ceiling).normalize(audio)
                audio = result.output
                let note = result.limitedByTruePeak ? " (held back by the \(ceiling) dBTP ceiling)" : ""
                print("normalised: \(result.input) → \(String(format: "%.1f", result.outputLoudness)) LUFS, "
                      + "gain \(String(format: "%+.1f", result.gainDB)) dB\(note)")
            }
            try writeOutput(try Self.encode(audio, settings: settings), to: output)
        }
    }

    /// Encodes in one-second steps so a long bulletin shows progress.
    static func encode(_ audio: PCMBuffer, settings: MP3EncoderSettings) throws -> [UInt8] {
        let encoder = try MP3Encoder(settings: settings)
        var progress = Progress("encoding")
        var stream = [UInt8]()
        stream.reserveCapacity(audio.frameCount / 2)
        let step = settings.sampleRate * 10
        var start = 0
        while start < audio.frameCount {
            stream += try encoder.encode(audio.frames(from: start, count: step))
            start += step
            progress.update(Double(min(start, audio.frameCount)) / Double(max(audio.frameCount, 1)))
        }
        try encoder.finish(stream: &stream)
        progress.done()
        return stream
    }
}
