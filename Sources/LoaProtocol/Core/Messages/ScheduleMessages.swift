/// `scheduleUpdate` (0x20, controller → gateway, binary `u64 version | document`): the whole
/// schedule for this gateway. The document is opaque here (LoaSchedule owns its format).
public struct ScheduleUpdate: Equatable, Sendable {
    public var version: UInt64
    public var document: [UInt8]
    public init(version: UInt64, document: [UInt8]) {
        self.version = version
        self.document = document
    }
}

/// `scheduleAck` (0x21, gateway → controller, JSON): the version now stored on disk.
public struct ScheduleAck: Codable, Equatable, Sendable {
    public var version: UInt64
    public init(version: UInt64) { self.version = version }
}
