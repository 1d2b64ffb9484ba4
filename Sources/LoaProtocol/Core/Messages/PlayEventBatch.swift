/// `playEvents` (0x61, gateway → controller, JSON): a batch of as-played events.
public struct PlayEventBatch: Codable, Equatable, Sendable {
    public var events: [PlayEvent]
    public init(events: [PlayEvent]) { self.events = events }
}
