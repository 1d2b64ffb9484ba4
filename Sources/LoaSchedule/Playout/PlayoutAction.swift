#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the playout state machine asks its adapter (player, amplifier relay, log, timer) to do.
/// The adapter performs them in order.
public enum PlayoutAction: Hashable, Sendable {
    /// Switch the amplifier relay. `on` comes pre-roll before sound; `off` after the idle delay.
    case amplifier(on: Bool)
    /// Start sound for `item` at `fromMs` into it (0 for live streams).
    case start(PlayItem, fromMs: Int64)
    /// Cut the sound of the item now playing.
    case stop(itemId: String, reason: StopReason)
    /// Append to the as-played log.
    case log(PlayoutEvent)
    /// Call `tick(now:)` at this instant. Always the last action; it replaces any earlier
    /// request, and a list without one means no timer is needed.
    case wakeUp(at: Date)

    /// Why sound was cut.
    public enum StopReason: String, Hashable, Sendable, Codable {
        case preempted, stopped, sourceLost
    }
}
