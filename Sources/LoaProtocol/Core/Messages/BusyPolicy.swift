/// What an item does when it arrives at a gateway that is already playing something.
public enum BusyPolicy: String, Codable, Sendable, CaseIterable {
    case preempt, queue, drop
}
