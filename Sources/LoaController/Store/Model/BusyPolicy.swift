/// What an item does when it meets a busy gateway.
public enum BusyPolicy: String, Sendable, CaseIterable {
    case preempt, queue, drop
}
