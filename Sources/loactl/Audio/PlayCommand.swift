import ArgumentParser
import Foundation
import LoaAudio

/// `loactl audio play FILE`
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a WAV or MP3 file through an ALSA device."
    )

    @Argument(help: "The file to play: WAV or MP3.") var file: String
    @OptionGroup var deviceOptions: DeviceOptions
    @Option(help: "Volume in percent (0–100): the card's mixer element if it has one, else a software gain.")
    var volume: Int?
    @Option(help: "The mixer element to turn (e.g. Master, PCM); software gain when the card lacks it.")
    var mixer: String = "Master"

    func run() throws {
        try reportingFailures {
            let audio = try AudioFile.decode(path: file).audio
            let device = try deviceOptions.resolve()
            let sink = ALSAOutputWithVolume.make(device: device, mixerElement: mixer)
            if let volume {
                guard (0...100).contains(volume) else { throw AudioError.invalidSetting("volume \(volume): use 0 to 100") }
                try sink.volume.setVolume(volume)
            }
            try sink.output.open(format: audio.format)
            defer { sink.output.close() }
            var progress = Progress("playing")
            let step = audio.format.sampleRate / 2
            var start = 0
            while start < audio.frameCount {
                try sink.output.write(audio.frames(from: start, count: step))
                start += step
                progress.update(Double(min(start, audio.frameCount)) / Double(audio.frameCount))
            }
            try sink.output.drain()
            progress.done()
            let how = sink.fallbackReason.map { "software gain (\($0))" } ?? "mixer '\(mixer)'"
            print("played \(formatSeconds(audio.duration)) s (\(audio.frameCount) frames, \(audio.format)) to '\(device.name)', "
                  + "volume \((try? sink.volume.volume()) ?? -1)% via \(how)")
            if sink.playback.underruns > 0 { print("underruns recovered: \(sink.playback.underruns)") }
        }
    }
}
