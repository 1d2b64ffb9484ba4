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
