/// How a gateway received its current (or last) live stream, in `healthReport.liveReception`:
/// what the central office needs to tell a commune that heard the broadcast badly from one
/// that heard it well. Counts are payloads (~240 ms of audio each).
public struct LiveReception: Codable, Hashable, Sendable {
    public var streamId: UInt32
    /// Payloads that arrived (duplicates not counted).
    public var receivedPayloads: UInt64
    /// Payloads that never arrived (gaps in `sequence`: the controller dropped them for a slow
    /// link, or the link was down).
    public var lostPayloads: UInt64
    /// Payloads that arrived after their time had passed, or overflowed the buffer: not played.
    public var latePayloads: UInt64
    /// How long before its presentation time the newest payload arrived (ms): the audio the
    /// gateway holds ahead of the speaker. Negative when late.
    public var bufferMs: Int64?
    /// The least of those since the stream started: the live delay could be this much shorter
    /// on this link without a gap.
    public var leastBufferMs: Int64?

    public init(streamId: UInt32, receivedPayloads: UInt64, lostPayloads: UInt64, latePayloads: UInt64,
                bufferMs: Int64? = nil, leastBufferMs: Int64? = nil) {
        self.streamId = streamId
        self.bufferMs = bufferMs
        self.leastBufferMs = leastBufferMs
        self.receivedPayloads = receivedPayloads
        self.lostPayloads = lostPayloads
        self.latePayloads = latePayloads
    }
}
