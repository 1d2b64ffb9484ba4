/// What happens to an item when something of higher priority interrupts it.
public enum InterruptPolicy: String, Sendable, CaseIterable {
    case resume, restart, drop
}
