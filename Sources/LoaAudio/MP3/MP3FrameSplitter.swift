/// Cuts an MP3 byte stream into whole frames as the bytes arrive, in chunks of any size.
///
/// For the live path and for the whole-file `MP3Scanner` alike. A leading ID3v2 tag is
/// skipped. Sync is acquired only on a header followed by `confirmations` more valid,
/// compatible headers exactly one frame apart (or by a chain that ends exactly where the
/// stream ends, once `finish()` says so), so random bytes are not taken for audio. Once in
/// sync, each frame is handed out as soon as its last byte arrives; a bad header loses sync
/// and the search starts again one byte later. Acquiring sync costs `confirmations` frames of
/// latency; after that there is none.
public struct MP3FrameSplitter: Sendable {
    /// One whole frame and where it started in the stream.
    public struct Frame: Sendable, Hashable {
        /// Byte offset from the start of the stream.
        public var offset: Int
        public var header: MP3FrameHeader
        /// The whole frame, header included.
        public var bytes: [UInt8]

        /// True for a Xing/Info or VBRI frame: it carries a tag, decodes to no audio, and a
        /// live relay can drop it.
        public var isTagFrame: Bool {
            bytes.withUnsafeBytes { XingTag.parse(frame: $0, header: header) != nil || VBRIHeader.parse(frame: $0) != nil }
        }
    }

    /// A frame that the stream's end cut short.
    public struct Truncation: Sendable, Hashable {
        public var offset: Int
        public var expectedLength: Int
        public var availableLength: Int
    }

    private enum Phase: Sendable {
        case start, skippingTag(remaining: Int), searching, locked(MP3FrameHeader)
    }

    public let confirmations: Int
    private var phase = Phase.start
    private var buffer: [UInt8] = []
    private var head = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset = 0
    private var finished = false

    /// Bytes of ID3v2 tags skipped at the start.
    public private(set) var tagBytes = 0
    /// Bytes that belonged to no frame (junk before sync, between lost and regained sync, or at the end).
    public private(set) var skippedBytes = 0
    /// Times sync was lost after having been acquired.
    public private(set) var syncLosses = 0
    /// Set by `finish()` when the last frame is incomplete.
    public private(set) var truncation: Truncation?

    public init(confirmations: Int = 3) {
        self.confirmations = max(1, confirmations)
    }

    /// Adds bytes; returns every frame completed by them.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [Frame] {
        precondition(!finished, "MP3FrameSplitter: append after finish")
        buffer.append(contentsOf: bytes)
        return drain()
    }

    /// Declares the end of the stream; returns the frames that only the end could confirm.
    /// Afterwards `truncation` and `skippedBytes` describe whatever was left over.
    public mutating func finish() -> [Frame] {
        finished = true
        return drain()
    }

    private mutating func drain() -> [Frame] {
        var frames: [Frame] = []
        buffer.withUnsafeBytes { bytes in
            while step(bytes, into: &frames) {}
        }
        if head > 0 {
            buffer.removeFirst(head)
            bufferOffset += head
            head = 0
        }
        return frames
    }

    /// Advances the state machine once; false when it needs more bytes (or the stream is done).
    private mutating func step(_ bytes: UnsafeRawBufferPointer, into frames: inout [Frame]) -> Bool {
        let available = bytes.count - head
        switch phase {
        case .start:
            if available < 10 && !finished { return false }
            if let length = MP3Tags.id3v2Length(bytes, at: head) {
                phase = .skippingTag(remaining: length)
            } else {
                phase = .searching
            }
            return true
        case .skippingTag(let remaining):
            let n = min(remaining, available)
            head += n
            tagBytes += n
            if n < remaining {
                phase = .skippingTag(remaining: remaining - n)
                return false
            }
            phase = .start   // tags may follow one another
            return available > n || finished
        case .searching:
            return search(bytes)
        case .locked(let reference):
            guard let header = MP3FrameHeader(bytes, at: head) else {
                if available < 4 {
                    if finished { skippedBytes += available; head += available }
                    return false
                }
                phase = .searching
                syncLosses += 1
                return true
            }
            guard header.isCompatible(with: reference) else {
                phase = .searching
                syncLosses += 1
                return true
            }
            let length = header.frameLength
            if available < length {
                if finished {
                    truncation = Truncation(offset: bufferOffset + head, expectedLength: length, availableLength: available)
                    head += available
                }
                return false
            }
            frames.append(Frame(offset: bufferOffset + head, header: header, bytes: Array(bytes[head..<(head + length)])))
            head += length
            return true
        }
    }

    /// Looks for a confirmed header; drops the bytes before it.
    private mutating func search(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var p = head
        while p + 4 <= bytes.count {
            if bytes[p] == 0xFF, let header = MP3FrameHeader(bytes, at: p) {
                switch confirm(bytes, from: p, header: header) {
                case .confirmed:
                    skippedBytes += p - head
                    head = p
                    phase = .locked(header)
                    return true
                case .needMoreBytes:
                    skippedBytes += p - head
                    head = p
                    return false
                case .rejected:
                    break
                }
            }
            p += 1
        }
        // Keep the last three bytes: a header may straddle the next chunk.
        let keep = finished ? 0 : min(3, bytes.count - head)
        skippedBytes += bytes.count - keep - head
        head = bytes.count - keep
        return false
    }

    private enum Confirmation { case confirmed, rejected, needMoreBytes }

    private func confirm(_ bytes: UnsafeRawBufferPointer, from start: Int, header: MP3FrameHeader) -> Confirmation {
        var q = start + header.frameLength
        var chain = 1
        while chain <= confirmations {
            if q + 4 > bytes.count {
                guard finished else { return .needMoreBytes }
                // At the end: a chain that ends exactly there is a short stream; one that runs
                // past it is a truncated last frame, believed only after one confirmed header.
                if q == bytes.count || chain >= 2 { return .confirmed }
                return .rejected
            }
            guard let next = MP3FrameHeader(bytes, at: q), next.isCompatible(with: header) else { return .rejected }
            q += next.frameLength
            chain += 1
        }
        return .confirmed
    }
}
