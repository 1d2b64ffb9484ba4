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
