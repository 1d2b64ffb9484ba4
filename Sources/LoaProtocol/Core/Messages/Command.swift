/// `command` (0x70, controller → gateway, JSON).
public struct Command: Codable, Equatable, Sendable {
    public var id: String
    public var action: CommandAction
    public init(id: String, action: CommandAction) {
        self.id = id
        self.action = action
    }
}
