/// What an item does when it meets a busy gateway.
public enum BusyPolicy: String, Sendable, CaseIterable {
    case preempt, queue, drop
}

/// What happens to an item when something of higher priority interrupts it.
public enum InterruptPolicy: String, Sendable, CaseIterable {
    case resume, restart, drop
}
