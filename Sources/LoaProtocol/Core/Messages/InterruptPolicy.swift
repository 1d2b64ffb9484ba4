/// What happens to an item when something of higher priority interrupts it.
public enum InterruptPolicy: String, Codable, Sendable, CaseIterable {
    case resume, restart, drop
}
