/// A technician's command for a gateway.
public enum CommandAction: Codable, Equatable, Sendable {
    case setVolume(percent: UInt8)
    case testTone(frequencyHz: UInt16, durationMs: UInt32)
    case restart
    case sendLogs(lines: UInt32)
}

/// `command` (0x70, controller → gateway, JSON).
public struct Command: Codable, Equatable, Sendable {
    public var id: String
    public var action: CommandAction
    public init(id: String, action: CommandAction) {
        self.id = id
        self.action = action
    }
}

/// `commandResult` (0x71, gateway → controller, JSON): the outcome of command `id`.
public struct CommandResult: Codable, Equatable, Sendable {
    public var id: String
    public var ok: Bool
    public var message: String?
    /// Log lines for `sendLogs`, other text output otherwise.
    public var output: String?
    public init(id: String, ok: Bool, message: String? = nil, output: String? = nil) {
        self.id = id
        self.ok = ok
        self.message = message
        self.output = output
    }
}
