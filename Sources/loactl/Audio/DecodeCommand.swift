import ArgumentParser
import LoaAudio

/// `loactl audio decode IN.mp3 OUT.wav`
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode an MP3 (gapless, exact length) to a WAV file."
    )

    @Argument(help: "Input MP3 file.") var input: String
    @Argument(help: "Output WAV file.") var output: String
    @Flag(help: "Write 32-bit float samples instead of 16-bit PCM.") var float = false

    func run() throws {
        try reportingFailures {
            let bytes = try AudioFile.bytes(path: input)
            guard AudioFile.sniff(bytes) == .mp3 else {
                throw AudioError.unsupportedFormat("'\(input)' is not an MP3 file")
            }
            let audio = try MP3Decoder.decodeAll(bytes)
            try writeOutput(WAVFile(audio: audio, sampleFormat: float ? .float32 : .pcm16).encoded(), to: output)
        }
    }
}
