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
