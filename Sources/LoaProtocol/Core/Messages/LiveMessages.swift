/// `liveStart` (0x50, controller → gateway, JSON): a live stream begins; audio frames follow.
public struct LiveStart: Codable, Equatable, Sendable {
    public var streamId: UInt32
    public var priority: UInt8
    public var startAt: Int64
    public var sampleRate: UInt32
    public var channels: UInt8
    public var bitrateKbps: UInt16
    public var onBusy: BusyPolicy
    public var onInterrupt: InterruptPolicy

    public init(streamId: UInt32, priority: UInt8, startAt: Int64, sampleRate: UInt32, channels: UInt8,
                bitrateKbps: UInt16, onBusy: BusyPolicy, onInterrupt: InterruptPolicy) {
        self.streamId = streamId
        self.priority = priority
        self.startAt = startAt
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrateKbps = bitrateKbps
        self.onBusy = onBusy
        self.onInterrupt = onInterrupt
    }
}

/// `liveAudio` (0x51, controller → gateway, binary `u32 streamId | u32 sequence | i64 pts | mp3`):
/// whole MP3 frames; `presentationTime` is controller clock, ns since the Unix epoch.
public struct LiveAudio: Equatable, Sendable {
    public static let headerSize = 16
    public var streamId: UInt32
    public var sequence: UInt32
    public var presentationTime: Int64
    public var mp3: [UInt8]

    public init(streamId: UInt32, sequence: UInt32, presentationTime: Int64, mp3: [UInt8]) {
        self.streamId = streamId
        self.sequence = sequence
        self.presentationTime = presentationTime
        self.mp3 = mp3
    }
}

/// `liveEnd` (0x52, controller → gateway, JSON): the stream ended on purpose.
public struct LiveEnd: Codable, Equatable, Sendable {
    public var streamId: UInt32
    public var reason: String?
    public init(streamId: UInt32, reason: String? = nil) {
        self.streamId = streamId
        self.reason = reason
    }
}
