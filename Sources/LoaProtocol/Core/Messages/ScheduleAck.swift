/// `scheduleAck` (0x21, gateway → controller, JSON): the version now stored on disk.
public struct ScheduleAck: Codable, Equatable, Sendable {
    public var version: UInt64
    public init(version: UInt64) { self.version = version }
}
