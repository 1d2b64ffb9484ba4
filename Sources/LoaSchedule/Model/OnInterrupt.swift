/// What happens to an item when a higher-priority item interrupts it.
/// JSON: `"resume"`, `"restart"` or `"drop"` (the same words as the gateway protocol).
public enum OnInterrupt: String, Sendable, Codable, CaseIterable {
    /// Play on from the position it reached, once the gateway is free again.
    case resume
    /// Play again from the beginning, once the gateway is free again.
    case restart
    /// Give up and log the item as dropped (reason `interrupted`).
    case drop
}
