/// What the MP3 encoder produces: rate, channels, bitrate mode and LAME's algorithm quality.
public struct MP3EncoderSettings: Equatable, Sendable, CustomStringConvertible {
    /// Constant bitrate in kbit/s, or LAME's VBR quality scale (0 best … 9 smallest).
    public enum BitrateMode: Equatable, Sendable {
        case constant(kbps: Int)
        case variable(quality: Int)
    }

    public var sampleRate: Int
    public var channels: Int
    public var bitrate: BitrateMode
    /// LAME's algorithm quality, 0 (slowest, best) … 9 (fastest). The `lame` CLI defaults to 3.
    public var quality: Int

    public init(sampleRate: Int = 24_000, channels: Int = 1, bitrate: BitrateMode = .constant(kbps: 48), quality: Int = 3) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrate = bitrate
        self.quality = quality
    }

    /// Loa's speech-first default: 24 kHz mono, 48 kbit/s CBR.
    public static let speech = MP3EncoderSettings()

    public var format: AudioFormat { AudioFormat(sampleRate: sampleRate, channels: channels) }

    /// Sample rates an MP3 stream can carry (MPEG-1, -2 and -2.5).
    public static let validSampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    /// Checks the settings, naming the setting that is wrong.
    public func validate() throws {
        guard Self.validSampleRates.contains(sampleRate) else {
            throw AudioError.invalidSetting("sample rate \(sampleRate) Hz: MP3 allows \(Self.validSampleRates.map(String.init).joined(separator: ", "))")
        }
        guard channels == 1 || channels == 2 else {
            throw AudioError.invalidSetting("\(channels) channels: MP3 carries mono or stereo")
        }
        guard (0...9).contains(quality) else {
            throw AudioError.invalidSetting("quality \(quality): use 0 (best) to 9 (fastest)")
        }
        switch bitrate {
        case .constant(let kbps):
            let allowed = sampleRate >= 32000
                ? [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
                : [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
            guard allowed.contains(kbps) else {
                throw AudioError.invalidSetting("bitrate \(kbps) kbit/s at \(sampleRate) Hz: choose one of \(allowed.map(String.init).joined(separator: ", "))")
            }
        case .variable(let q):
            guard (0...9).contains(q) else { throw AudioError.invalidSetting("VBR quality \(q): use 0 (best) to 9 (smallest)") }
        }
    }

    public var description: String {
        let mode: String
        switch bitrate {
        case .constant(let kbps): mode = "\(kbps) kbit/s CBR"
        case .variable(let q): mode = "VBR -V\(q)"
        }
        return "MP3 \(format), \(mode)"
    }
}
