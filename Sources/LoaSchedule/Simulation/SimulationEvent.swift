import Foundation

/// Something that happens to the gateway at a given instant during a simulated run, other
/// than items becoming due: an operator's stop, or a live source dropping or returning.
public enum SimulationEvent: Hashable, Sendable {
    case stop(itemId: String, at: Date)
    case liveSourceLost(itemId: String, at: Date)
    case liveSourceBack(itemId: String, at: Date)

    public var at: Date {
        switch self {
        case .stop(_, let at), .liveSourceLost(_, let at), .liveSourceBack(_, let at): return at
        }
    }
}
