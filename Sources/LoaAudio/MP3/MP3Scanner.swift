#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The frames and tags of a whole MP3 file, found by `MP3Scanner.scan`.
public struct MP3Stream: Sendable, Hashable {
    /// Audio frames in order (the Xing/Info/VBRI frame is not among them).
    public var frames: [MP3Frame]
    /// The first frame when it carries a Xing/Info or VBRI tag instead of audio.
    public var tagFrame: MP3Frame?
    public var xing: XingTag?
    public var vbri: VBRIHeader?
    /// Bytes of ID3v2 at the front and of ID3v1/APEv2 at the end.
    public var leadingTagBytes: Int
    public var trailingTagBytes: Int
    /// Bytes in neither a tag nor a frame (junk, or a damaged stretch skipped by resync).
    public var skippedBytes: Int
    /// Set only when scanning with `allowTruncated: true` and the last frame is cut short.
    public var truncation: MP3FrameSplitter.Truncation?
    public var info: MP3StreamInfo
}

/// Parses a whole MP3 file without decoding: frame boundaries, tags and a summary with the
/// exact gapless sample count. Uses `MP3FrameSplitter`, so the live path cuts frames the same way.
public enum MP3Scanner {
    public static func scan(_ data: Data, allowTruncated: Bool = false) throws -> MP3Stream {
        try scan([UInt8](data), allowTruncated: allowTruncated)
    }

    /// - Parameter allowTruncated: when false (the default) a cut-short last frame throws
    ///   `MP3ParseError.truncatedFrame`; when true it is dropped and reported in `truncation`.
    public static func scan(_ bytes: [UInt8], allowTruncated: Bool = false) throws -> MP3Stream {
        guard !bytes.isEmpty else { throw MP3ParseError.emptyInput }
        var audioEnd = bytes.withUnsafeBytes { MP3Tags.audioEnd($0, start: 0, end: $0.count) }
        var (found, splitter) = split(bytes[0..<audioEnd])
        if splitter.truncation != nil, audioEnd < bytes.count {
            // What looked like a trailing tag may have been the end of the last frame.
            let whole = split(bytes[...])
            if whole.splitter.truncation == nil, whole.frames.count > found.count {
                (found, splitter, audioEnd) = (whole.frames, whole.splitter, bytes.count)
            }
        }
        guard let first = found.first else { throw MP3ParseError.noFramesFound(byteCount: bytes.count) }
        if let cut = splitter.truncation, !allowTruncated {
            throw MP3ParseError.truncatedFrame(offset: cut.offset, expectedLength: cut.expectedLength,
                                               availableLength: cut.availableLength, completeFrames: found.count)
        }
        let (xing, vbri) = first.bytes.withUnsafeBytes { frame in
            (XingTag.parse(frame: frame, header: first.header), VBRIHeader.parse(frame: frame))
        }
        var frames = found.map { MP3Frame(offset: $0.offset, length: $0.bytes.count, header: $0.header) }
        var tagFrame: MP3Frame?
        if xing != nil || vbri != nil { tagFrame = frames.removeFirst() }
        let header = first.header
        let audioBytes = frames.reduce(0) { $0 + $1.length }
        let isVBR: Bool
        if let xing { isVBR = !xing.isInfo } else if vbri != nil { isVBR = true } else {
            isVBR = frames.contains { $0.header.bitrate != header.bitrate }
        }
        let seconds = Double(frames.count * header.samplesPerFrame) / Double(header.sampleRate)
        let bitrate = isVBR ? (seconds > 0 ? Double(audioBytes) * 8 / seconds / 1000 : 0)
                            : Double(frames.first?.header.bitrate ?? header.bitrate)
        let lame = xing?.lame
        let info = MP3StreamInfo(version: header.version, layer: header.layer, sampleRate: header.sampleRate,
                                 channels: header.channels, channelMode: header.channelMode, bitrate: bitrate,
                                 isVBR: isVBR, audioFrameCount: frames.count, samplesPerFrame: header.samplesPerFrame,
                                 encoderDelay: lame?.encoderDelay, encoderPadding: lame?.encoderPadding,
                                 encoder: lame?.encoder)
        return MP3Stream(frames: frames, tagFrame: tagFrame, xing: xing, vbri: vbri,
                         leadingTagBytes: splitter.tagBytes, trailingTagBytes: bytes.count - audioEnd,
                         skippedBytes: splitter.skippedBytes, truncation: splitter.truncation, info: info)
    }

    private static func split(_ bytes: ArraySlice<UInt8>) -> (frames: [MP3FrameSplitter.Frame], splitter: MP3FrameSplitter) {
        var splitter = MP3FrameSplitter()
        var frames = splitter.append(bytes)
        frames += splitter.finish()
        return (frames, splitter)
    }
}
