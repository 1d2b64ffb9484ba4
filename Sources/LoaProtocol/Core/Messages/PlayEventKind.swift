/// What happened to an item on the loudspeakers.
public enum PlayEventKind: String, Codable, Sendable, CaseIterable {
    case started, finished, interrupted, resumed, dropped, failed
}
