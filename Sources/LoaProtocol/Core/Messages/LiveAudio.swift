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
