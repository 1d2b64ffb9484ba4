/// `MP3Scanner.scan` for a file read a slice at a time: the same frame parsing, the same
/// refusals (`MP3ParseError`) and the same `MP3StreamInfo`, without holding the file or a
/// list of its frames. Trailing ID3v1/APEv2 tags are looked for in the last `tailWindow` bytes
/// (the whole file when it is shorter), so a tag larger than that counts as junk after the audio.
public enum MP3StreamScanner {
    public static let tailWindow = 1 << 20

    public static func scan(_ source: some AudioByteSource, chunkBytes: Int = 1 << 16) throws -> MP3StreamInfo {
        let total = source.byteCount
        guard total > 0 else { throw MP3ParseError.emptyInput }
        let tailStart = max(0, total - tailWindow)
        let tail = try source.read(at: tailStart, upTo: total - tailStart)
        let audioEnd = tailStart + tail.withUnsafeBytes { MP3Tags.audioEnd($0, start: 0, end: $0.count) }
        var summary = try pass(source, end: audioEnd, chunkBytes: chunkBytes)
        if summary.truncation != nil, audioEnd < total {
            // What looked like a trailing tag may have been the end of the last frame.
            let whole = try pass(source, end: total, chunkBytes: chunkBytes)
            if whole.truncation == nil, whole.frameCount > summary.frameCount { summary = whole }
        }
        guard let first = summary.first else { throw MP3ParseError.noFramesFound(byteCount: total) }
        if let cut = summary.truncation {
            throw MP3ParseError.truncatedFrame(offset: cut.offset, expectedLength: cut.expectedLength,
                                               availableLength: cut.availableLength, completeFrames: summary.frameCount)
        }
        let (xing, vbri) = first.bytes.withUnsafeBytes { frame in
            (XingTag.parse(frame: frame, header: first.header), VBRIHeader.parse(frame: frame))
        }
        let header = first.header
        let hasTagFrame = xing != nil || vbri != nil
        let frames = summary.frameCount - (hasTagFrame ? 1 : 0)
        let audioBytes = summary.totalBytes - (hasTagFrame ? first.bytes.count : 0)
        let firstAudioBitrate = hasTagFrame ? summary.secondBitrate : header.bitrate
        let isVBR: Bool
        if let xing { isVBR = !xing.isInfo } else if vbri != nil { isVBR = true } else { isVBR = summary.bitrateVaries }
        let seconds = Double(frames * header.samplesPerFrame) / Double(header.sampleRate)
        let bitrate = isVBR ? (seconds > 0 ? Double(audioBytes) * 8 / seconds / 1000 : 0)
                            : Double(firstAudioBitrate ?? header.bitrate)
        let lame = xing?.lame
        return MP3StreamInfo(version: header.version, layer: header.layer, sampleRate: header.sampleRate,
                             channels: header.channels, channelMode: header.channelMode, bitrate: bitrate,
                             isVBR: isVBR, audioFrameCount: frames, samplesPerFrame: header.samplesPerFrame,
                             encoderDelay: lame?.encoderDelay, encoderPadding: lame?.encoderPadding,
                             encoder: lame?.encoder)
    }

    /// What one pass over `0..<end` found.
    private struct Summary {
        var first: MP3FrameSplitter.Frame?
        var frameCount = 0
        var totalBytes = 0
        var secondBitrate: Int?
        /// True when some frame's bitrate differs from the first frame's.
        var bitrateVaries = false
        var truncation: MP3FrameSplitter.Truncation?

        mutating func add(_ frame: MP3FrameSplitter.Frame) {
            if let first {
                if frameCount == 1 { secondBitrate = frame.header.bitrate }
                if frame.header.bitrate != first.header.bitrate { bitrateVaries = true }
            } else {
                first = frame
            }
            frameCount += 1
            totalBytes += frame.bytes.count
        }
    }

    private static func pass(_ source: some AudioByteSource, end: Int, chunkBytes: Int) throws -> Summary {
        var splitter = MP3FrameSplitter()
        var summary = Summary()
        var offset = 0
        while offset < end {
            let chunk = try source.read(at: offset, upTo: min(chunkBytes, end - offset))
            guard !chunk.isEmpty else { break }
            offset += chunk.count
            for frame in splitter.append(chunk) { summary.add(frame) }
        }
        for frame in splitter.finish() { summary.add(frame) }
        summary.truncation = splitter.truncation
        return summary
    }
}
