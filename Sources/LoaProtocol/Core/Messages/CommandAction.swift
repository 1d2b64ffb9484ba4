/// A technician's command for a gateway.
public enum CommandAction: Codable, Equatable, Sendable {
    case setVolume(percent: UInt8)
    case testTone(frequencyHz: UInt16, durationMs: UInt32)
    case restart
    case sendLogs(lines: UInt32)
}
