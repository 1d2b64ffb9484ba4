#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something that happens to the gateway at a given instant during a simulated run: an item
/// arriving late (not known at the start of the run), an operator's stop, or a live source
/// dropping or returning.
public enum SimulationEvent: Hashable, Sendable {
    /// `item` reaches the gateway at `at` (e.g. an announcement pushed "now", whose `due` is `at`).
    case handIn(PlayItem, at: Date)
    case stop(itemId: String, at: Date)
    case liveSourceLost(itemId: String, at: Date)
    case liveSourceBack(itemId: String, at: Date)

    public var at: Date {
        switch self {
        case .handIn(_, let at), .stop(_, let at), .liveSourceLost(_, let at), .liveSourceBack(_, let at): return at
        }
    }
}
