import Foundation
import LoaProtocol
import LoaSchedule

/// Turns the playout machine's as-played events into the protocol's `PlayEvent`s and appends
/// them durably to the outbox. The outbox item's UUID is the event id, so a resend after a
/// reconnect carries the same id and the controller stores it once.
public struct PlayLog: Sendable {
    public let outbox: Outbox
    /// Called after each append (the link sends queued items when connected).
    public let appended: @Sendable () -> Void

    public init(outbox: Outbox, appended: @escaping @Sendable () -> Void = {}) {
        self.outbox = outbox
        self.appended = appended
    }

    /// Appends one event; returns the wire form written.
    @discardableResult
    public func record(_ event: LoaSchedule.PlayEvent, detail extra: String? = nil) throws(OutboxError) -> LoaProtocol.PlayEvent {
        let id = UUID()
        var wire = Self.wireEvent(event, id: id.uuidString)
        if let extra { wire.detail = [wire.detail, extra].compactMap { $0 }.joined(separator: "; ") }
        let payload = (try? JSONEncoder().encode(wire)) ?? Data()
        try outbox.append(.playEvent, payload: payload, id: id)
        appended()
        return wire
    }

    /// The protocol has six kinds; the schedule's finer kinds travel in `detail`.
    public static func wireEvent(_ event: LoaSchedule.PlayEvent, id: String) -> LoaProtocol.PlayEvent {
        let at = Int64((event.at.timeIntervalSince1970 * 1000).rounded())
        let (kind, detail): (PlayEventKind, String?) = switch event.kind {
        case .started: (.started, nil)
        case .resumed(let from): (.resumed, "fromMs=\(from)")
        case .restarted: (.started, "restarted")
        case .finished(let atMs): (.finished, "atMs=\(atMs)")
        case .interrupted(let atMs, let by): (.interrupted, "atMs=\(atMs)" + (by.map { " by=\($0)" } ?? " live source lost"))
        case .stopped(let atMs): (.interrupted, "stopped atMs=\(atMs)")
        case .dropped(let reason): (.dropped, "reason=\(reason.rawValue)")
        case .expired: (.dropped, "expired")
        case .missed: (.dropped, "missed")
        case .sourceLost: (.interrupted, "sourceLost")
        case .sourceRestored: (.resumed, "sourceRestored")
        }
        return LoaProtocol.PlayEvent(id: id, itemId: event.itemId, kind: kind, at: at, detail: detail)
    }

    /// A play that could not happen (content missing, output failed).
    public func failed(itemId: String, at: Date, reason: String) throws(OutboxError) {
        let id = UUID()
        let wire = LoaProtocol.PlayEvent(id: id.uuidString, itemId: itemId, kind: .failed,
                                         at: Int64((at.timeIntervalSince1970 * 1000).rounded()), detail: reason)
        try outbox.append(.playEvent, payload: (try? JSONEncoder().encode(wire)) ?? Data(), id: id)
        appended()
    }
}
