/// What an item does when it becomes due while the gateway is already busy.
/// JSON: `"preempt"`, `"queue"` or `"drop"` (the same words as the gateway protocol).
///
/// `preempt` only takes effect against a strictly lower priority; against an equal or higher
/// one a `preempt` item waits like `queue` (equal priority never preempts).
public enum OnBusy: String, Sendable, Codable, CaseIterable {
    /// Interrupt a lower-priority item at once.
    case preempt
    /// Wait until the gateway is free, then play in priority order, then due order.
    case queue
    /// Give up and log the item as dropped (reason `busy`).
    case drop
}
