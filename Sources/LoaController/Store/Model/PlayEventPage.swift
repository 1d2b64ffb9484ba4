/// One page of as-played events and where the next page starts, if there is one.
public struct PlayEventPage: Sendable, Equatable {
    public var events: [PlayLogEntry]
    public var next: PlayEventQuery.Cursor?

    public init(events: [PlayLogEntry], next: PlayEventQuery.Cursor?) {
        self.events = events
        self.next = next
    }
}
