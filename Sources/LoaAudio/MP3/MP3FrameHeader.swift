/// A decoded 4-byte MPEG audio frame header, Layer III only (MPEG-1, MPEG-2 and MPEG-2.5).
///
/// `init?(_:_:_:_:)` refuses anything that cannot start a playable Layer III frame: a bad sync
/// word, reserved version, other layers, free-format or invalid bitrate, reserved sample rate
/// or emphasis. Random bytes pass by chance about once in 20 000 positions, which is why the
/// scanner also demands a run of consecutive headers.
public struct MP3FrameHeader: Sendable, Hashable, CustomStringConvertible {
    /// MPEG audio version.
    public enum Version: Sendable, Hashable, CustomStringConvertible {
        case mpeg1, mpeg2, mpeg25
        public var description: String {
            switch self { case .mpeg1: "MPEG-1"; case .mpeg2: "MPEG-2"; case .mpeg25: "MPEG-2.5" }
        }
    }

    /// How the channels are coded.
    public enum ChannelMode: UInt8, Sendable, Hashable {
        case stereo = 0, jointStereo = 1, dualChannel = 2, mono = 3
    }

    public let version: Version
    /// Always 3 (Layer III); kept so summaries can say so.
    public let layer: Int
    /// Bitrate in kbit/s.
    public let bitrate: Int
    public let sampleRate: Int
    public let padding: Bool
    public let channelMode: ChannelMode
    /// A 16-bit CRC follows the header.
    public let hasCRC: Bool
    /// The four header bytes, big-endian.
    public let raw: UInt32

    private static let mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    private static let baseRates = [44_100, 48_000, 32_000]

    public init?(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        switch (b1 >> 3) & 0x3 {
        case 3: version = .mpeg1
        case 2: version = .mpeg2
        case 0: version = .mpeg25
        default: return nil
        }
        guard (b1 >> 1) & 0x3 == 1 else { return nil }   // 01 = Layer III
        layer = 3
        hasCRC = b1 & 0x1 == 0
        let bitrateIndex = Int(b2 >> 4), rateIndex = Int((b2 >> 2) & 0x3)
        guard bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3, b3 & 0x3 != 2 else { return nil }
        bitrate = (version == .mpeg1 ? MP3FrameHeader.mpeg1Bitrates : MP3FrameHeader.mpeg2Bitrates)[bitrateIndex]
        let base = MP3FrameHeader.baseRates[rateIndex]
        sampleRate = version == .mpeg1 ? base : version == .mpeg2 ? base / 2 : base / 4
        padding = (b2 >> 1) & 0x1 == 1
        channelMode = ChannelMode(rawValue: b3 >> 6)!
        raw = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    /// Parses the header at `offset` of `bytes` when four bytes are there.
    public init?(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        self.init(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3])
    }

    public var channels: Int { channelMode == .mono ? 1 : 2 }

    /// PCM frames one MP3 frame decodes to: 1152 for MPEG-1, 576 for MPEG-2 and 2.5.
    public var samplesPerFrame: Int { version == .mpeg1 ? 1152 : 576 }

    /// Whole frame length in bytes, header included.
    public var frameLength: Int {
        (samplesPerFrame / 8) * bitrate * 1000 / sampleRate + (padding ? 1 : 0)
    }

    /// Bytes of Layer III side information after the header (and CRC).
    public var sideInfoLength: Int {
        version == .mpeg1 ? (channelMode == .mono ? 17 : 32) : (channelMode == .mono ? 9 : 17)
    }

    /// Whether `other` can belong to the same stream: same version, layer and sample rate.
    /// (Bitrate, padding and even channel mode may change from frame to frame.)
    public func isCompatible(with other: MP3FrameHeader) -> Bool {
        version == other.version && sampleRate == other.sampleRate
    }

    public var description: String {
        "\(version) Layer III, \(bitrate) kbit/s, \(sampleRate) Hz, \(channelMode == .mono ? "mono" : "\(channelMode)"), \(frameLength) bytes"
    }
}
