/// The summary of an MP3 stream, obtained without decoding.
public struct MP3StreamInfo: Sendable, Hashable, CustomStringConvertible {
    public var version: MP3FrameHeader.Version
    public var layer: Int
    public var sampleRate: Int
    public var channels: Int
    public var channelMode: MP3FrameHeader.ChannelMode
    /// Nominal bitrate for CBR; average over the audio frames for VBR (kbit/s).
    public var bitrate: Double
    public var isVBR: Bool
    /// Audio frames, not counting a Xing/Info or VBRI frame.
    public var audioFrameCount: Int
    public var samplesPerFrame: Int
    /// From the LAME tag, when there is one.
    public var encoderDelay: Int?
    public var encoderPadding: Int?
    /// Encoder named in the LAME tag ("LAME3.100", "Lavc60.31"), when there is one.
    public var encoder: String?

    /// True when a LAME tag gave delay and padding, so `sampleCount` is what a gapless decoder
    /// (mpg123, ffmpeg) outputs; otherwise `sampleCount` counts whole frames and the decoder's
    /// output may differ by its own delay.
    public var isGapless: Bool { encoderDelay != nil }

    /// PCM frames per channel: audioFrames × samplesPerFrame − delay − padding with a LAME tag,
    /// audioFrames × samplesPerFrame without.
    public var sampleCount: Int {
        max(0, audioFrameCount * samplesPerFrame - (encoderDelay ?? 0) - (encoderPadding ?? 0))
    }

    /// Duration in seconds (`sampleCount / sampleRate`).
    public var duration: Double { Double(sampleCount) / Double(sampleRate) }

    public var description: String {
        let rate = isVBR ? "VBR ~\(Int(bitrate.rounded())) kbit/s" : "CBR \(Int(bitrate.rounded())) kbit/s"
        let gap = isGapless ? "delay \(encoderDelay!), padding \(encoderPadding!)" : "no gapless info"
        return "\(version) Layer III, \(sampleRate) Hz, \(channels == 1 ? "mono" : "stereo"), \(rate), \(audioFrameCount) frames, \(sampleCount) samples (\(gap))"
    }
}
