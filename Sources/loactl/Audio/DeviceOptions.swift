import ArgumentParser
import Foundation
import LoaAudio

/// Which ALSA PCM to use: a name from the system configuration, or one defined in a config file.
struct DeviceOptions: ParsableArguments {
    @Option(help: "ALSA PCM name, e.g. default, plughw:1,0, or file:FILE=/tmp/out.raw,FORMAT=raw.")
    var device: String = "default"

    @Option(name: .customLong("alsa-config"),
            help: "An ALSA configuration file that defines --device, used instead of the system configuration.")
    var alsaConfig: String?

    func resolve() throws -> ALSADevice {
        guard let alsaConfig else { return .named(device) }
        guard let text = FileManager.default.contents(atPath: alsaConfig) else {
            throw AudioFileError.unreadable(alsaConfig)
        }
        return ALSADevice(name: device, configText: String(decoding: text, as: UTF8.self))
    }
}
