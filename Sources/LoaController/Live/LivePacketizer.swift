/// Groups a live stream's MP3 frames (already in the deployment format, no tag frames) into
/// `liveAudio` payloads of about `payloadMs`, numbered 0, 1, 2 … Pure: presentation times come
/// from a `LiveStreamClock` the caller advances with each payload's sample count.
public struct LivePacketizer: Sendable {
    /// One payload before it is timed.
    public struct Payload: Sendable, Equatable {
        public var sequence: UInt32
        /// PCM samples (per channel) the payload's frames decode to.
        public var samples: Int
        /// Whole MP3 frames, back to back.
        public var mp3: [UInt8]
        public var frameCount: Int
    }

    /// Samples per payload: the first frame that reaches this closes the payload.
    public let targetSamples: Int
    private var pending: [UInt8] = []
    private var pendingSamples = 0
    private var pendingFrames = 0
    public private(set) var nextSequence: UInt32 = 0

    public init(sampleRate: Int, payloadMs: Int) {
        targetSamples = max(1, sampleRate * payloadMs / 1_000)
    }

    /// Adds one whole frame; returns a payload when this frame completes one.
    public mutating func add(frame: [UInt8], samples: Int) -> Payload? {
        pending.append(contentsOf: frame)
        pendingSamples += samples
        pendingFrames += 1
        return pendingSamples >= targetSamples ? take() : nil
    }

    /// The frames left at the end of the stream, as a last (shorter) payload.
    public mutating func flush() -> Payload? {
        pendingFrames > 0 ? take() : nil
    }

    private mutating func take() -> Payload {
        let payload = Payload(sequence: nextSequence, samples: pendingSamples, mp3: pending, frameCount: pendingFrames)
        nextSequence &+= 1
        pending = []
        pendingSamples = 0
        pendingFrames = 0
        return payload
    }
}
