import ArgumentParser
import Foundation
import LoaAudio

/// `loactl audio record OUT.wav --seconds N`
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record from an ALSA capture device to a 16-bit WAV file."
    )

    @Argument(help: "Output WAV file.") var output: String
    @Option(help: "How long to record, in seconds.") var seconds: Double
    @OptionGroup var deviceOptions: DeviceOptions
    @Option(help: "Sample rate in Hz.") var rate: Int = 24_000
    @Option(help: "Channels: 1 or 2.") var channels: Int = 1

    func run() throws {
        try reportingFailures {
            guard seconds > 0, seconds <= 4 * 3600 else {
                throw AudioError.invalidSetting("--seconds \(seconds): use more than 0 and at most 14400")
            }
            let format = AudioFormat(sampleRate: rate, channels: channels)
            let input = ALSACapture(device: try deviceOptions.resolve())
            try input.open(format: format)
            defer { input.close() }
            let total = Int((seconds * Double(rate)).rounded())
            var recorded = PCMBuffer(format: format)
            var progress = Progress("recording")
            let step = max(rate / 10, 1)
            while recorded.frameCount < total {
                recorded.append(try input.readBuffer(frames: min(step, total - recorded.frameCount)))
                progress.update(Double(recorded.frameCount) / Double(total))
            }
            progress.done()
            try writeOutput(WAVFile(audio: recorded, sampleFormat: .pcm16).encoded(), to: output)
            print("recorded \(formatSeconds(recorded.duration)) s (\(recorded.frameCount) frames, \(format)) "
                  + "from '\(deviceOptions.device)' to \(output)")
        }
    }
}
