#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaProtocol
import LoaSchedule

/// Turns the playout machine's as-played events into the protocol's `PlayEvent`s and logs each
/// as one step of its item's life: the play journal and the outbox are written in one
/// transaction (`Outbox.journal`). A step the journal refuses — anything after the item's
/// terminal record (a step re-derived after a restart, a second `dropped`) — is not logged at all.
///
/// Event ids derive from (gateway, item, step, sequence) (`PlayEventID`), so a step re-derived after a
/// restart, and a resend after a reconnect, carry the id they had and the controller stores
/// each once.
public struct PlayLog: Sendable {
    /// Part of every event id: two gateways playing one occurrence log distinct events.
    public let gatewayId: String
    public let outbox: Outbox
    /// Called after each append (the link sends queued items when connected).
    public let appended: @Sendable () -> Void

    public init(gatewayId: String, outbox: Outbox, appended: @escaping @Sendable () -> Void = {}) {
        self.gatewayId = gatewayId
        self.outbox = outbox
        self.appended = appended
    }

    /// Logs one event; returns the wire form written, or nil when the journal refused the step.
    /// `reason` (words such as `reason=gateway-down down=A-B`) follows the kind's own detail;
    /// `durationMs` is the item's length, kept to tell later how far an open play got.
    @discardableResult
    public func record(_ event: PlayoutEvent, reason: String? = nil, durationMs: Int64? = nil) throws(OutboxError) -> LoaProtocol.PlayEvent? {
        var fromMs: Int64 = 0
        if case .resumed(let from) = event.kind { fromMs = from }
        return try log(event.itemId, PlayTransition(event.kind), at: event.at, fromMs: fromMs, durationMs: durationMs) { id in
            Self.wireEvent(event, id: id, reason: reason)
        }
    }

    /// A play that could not happen (content missing, output failed): its terminal record.
    @discardableResult
    public func failed(itemId: String, at: Date, reason: String) throws(OutboxError) -> LoaProtocol.PlayEvent? {
        try log(itemId, .failed, at: at) { id in
            LoaProtocol.PlayEvent(id: id, itemId: itemId, kind: .failed, at: Self.milliseconds(at), detail: reason)
        }
    }

    private func log(_ itemId: String, _ transition: PlayTransition, at: Date, fromMs: Int64 = 0, durationMs: Int64? = nil,
                     wire: (String) -> LoaProtocol.PlayEvent) throws(OutboxError) -> LoaProtocol.PlayEvent? {
        var written: LoaProtocol.PlayEvent?
        let entry = try outbox.journal(itemId) { current in
            guard let next = PlayJournalEntry.next(current, itemId: itemId, transition: transition, at: at,
                                                   fromMs: fromMs, durationMs: durationMs) else { return nil }
            let id = PlayEventID.derive(gatewayId: gatewayId, itemId: itemId, transition: transition, sequence: next.transitions - 1)
            let event = wire(id.uuidString)
            written = event
            return (next, id, (try? JSONEncoder().encode(event)) ?? Data())
        }
        guard entry != nil else { return nil }
        appended()
        return written
    }

    /// The protocol has six kinds; the schedule's finer kinds travel typed in `cause` (and `by`)
    /// and, for controllers before it, in words of `detail`, with the position typed in
    /// `positionMs` and spelled `atMs=N` / `fromMs=N`. A `missed` play is `dropped` with detail
    /// `missed reason=…` (`late` when the machine could not start it within its tolerance; the
    /// restart recovery gives `gateway-down` and the interval). One table, so the words, the
    /// position and the cause of a kind cannot disagree.
    public static func wireEvent(_ event: PlayoutEvent, id: String, reason: String? = nil) -> LoaProtocol.PlayEvent {
        let (kind, detail, position, cause): (PlayEventKind, String?, Int64?, PlayEventCause?) = switch event.kind {
        case .started: (.started, nil, nil, nil)
        case .resumed(let from): (.resumed, "fromMs=\(from)", from, nil)
        case .restarted: (.started, "restarted", nil, .restarted)
        case .finished(let atMs): (.finished, "atMs=\(atMs)", atMs, nil)
        case .interrupted(let atMs, let by):
            (.interrupted, "atMs=\(atMs)" + (by.map { " by=\($0)" } ?? " live source lost"), atMs, interruptionCause(by: by))
        case .stopped(let atMs): (.interrupted, "stopped atMs=\(atMs)", atMs, .stopped)
        // The drop reasons (busy, interrupted, stopped) are causes of the same names.
        case .dropped(let why): (.dropped, "reason=\(why.rawValue)", nil, PlayEventCause(rawValue: why.rawValue))
        case .expired: (.dropped, "expired", nil, .expired)
        case .missed: (.dropped, "missed " + (reason ?? "reason=late"), nil, .missed)
        case .relayMissed: (.dropped, "missed reason=relay-not-received", nil, .missed)
        case .sourceLost: (.interrupted, "sourceLost", nil, .sourceLost)
        case .sourceRestored: (.resumed, "sourceRestored", nil, .sourceRestored)
        }
        let words = [detail, event.kind == .missed ? nil : reason].compactMap { $0 }
        var by: String?
        if cause == .preempted, case .interrupted(_, let item) = event.kind { by = item }
        return LoaProtocol.PlayEvent(id: id, itemId: event.itemId, kind: kind, at: milliseconds(event.at),
                                     detail: words.isEmpty ? nil : words.joined(separator: " "), positionMs: position,
                                     cause: cause, by: by)
    }

    /// Why a play was interrupted, from who the machine says cut it: no one (its live source
    /// stayed quiet), the gateway's restart or shutdown, or another item.
    static func interruptionCause(by: String?) -> PlayEventCause {
        switch by {
        case nil: .liveSourceLost
        case RestartRecovery.restartCause: .gatewayRestart
        case PlayLog.shutdownCause: .shutdown
        default: .preempted
        }
    }

    /// What a play cut by the gateway's own shutdown is interrupted `by`.
    public static let shutdownCause = "shutdown"

    static func milliseconds(_ at: Date) -> Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }
}
