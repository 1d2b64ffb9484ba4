/// The shape of a PCM stream: how many frames per second and how many samples per frame.
public struct AudioFormat: Hashable, Sendable, CustomStringConvertible {
    public var sampleRate: Int
    public var channels: Int

    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Loa's speech-first default for bulletins: 24 kHz mono.
    public static let speech = AudioFormat(sampleRate: 24_000, channels: 1)

    public var description: String {
        "\(sampleRate) Hz \(channels == 1 ? "mono" : channels == 2 ? "stereo" : "\(channels) ch")"
    }
}
