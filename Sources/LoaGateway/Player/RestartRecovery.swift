#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// What the player does after a (re)start with what the previous run left, decided from the
/// play journal, the stored schedule and the last alive mark (`AliveMark`), as values:
///
/// 1. `close`: every play the journal has open (sound started, no end logged) was cut by the
///    gateway's death; it is logged `interrupted` (by `gateway-restart`, at the offset it had
///    reached by the last alive mark) before anything else happens to it.
/// 2. `plan`: each occurrence of the stored schedule that started while the gateway was down:
///    - still sounding now and never started, or cut (by the restart or before it): its
///      onInterrupt decides — `resume` plays the rest from the offset it would have reached
///      (`resume(fromMs:)`), `restart` plays it again from the beginning, `drop` leaves it:
///      `missed` if it never started, its `interrupted` being its outcome if it did;
///    - over, and never logged: `missed` (reason `gateway-down`, with the down interval as far
///      as known). Without a last alive mark (a first start, or a gateway upgraded from before
///      the mark) the outage is unknown and ended occurrences are left alone.
///    Occurrences with a terminal record are left alone: a resend is never re-derived twice.
public enum RestartRecovery: Equatable, Sendable {
    case resume(fromMs: Int64)
    case restart
    case missed

    /// How far back `plan` looks at most, however long the gateway was down.
    public static let longestOutage: TimeInterval = 7 * 86_400

    /// One event to log, with the words that follow its kind in the wire detail.
    public struct Record: Equatable, Sendable {
        public var event: PlayoutEvent
        public var reason: String?
    }

    /// What `plan` decided: events to log first, then plays to hand to the planner.
    public struct Plan: Sendable {
        public var records: [Record] = []
        public var plays: [(Occurrence, RestartRecovery)] = []
    }

    /// Nil when `occurrence` is not in progress at `now`. Sound comes `warmUpMs` later (the
    /// amplifier's pre-roll): a resume whose point is then past the end has nothing left to
    /// play, and is `missed` (or, for a play that was cut, left at its `interrupted`).
    public static func decide(_ occurrence: Occurrence, now: Date, warmUpMs: Int64 = 0) -> RestartRecovery? {
        guard occurrence.start < now, now < occurrence.end else { return nil }
        let elapsed = Int64((now.timeIntervalSince(occurrence.start) * 1000).rounded(.down))
        switch occurrence.onInterrupt {
        case .resume: return elapsed + max(0, warmUpMs) < occurrence.durationMs ? .resume(fromMs: elapsed) : .missed
        case .restart: return .restart
        case .drop: return .missed
        }
    }

    /// What a play cut by the gateway's restart is interrupted `by`.
    public static let restartCause = "gateway-restart"

    /// The `interrupted` records that close the plays the previous run left open.
    public static func close(_ open: [PlayJournalEntry], lastAlive: Date?, now: Date) -> [Record] {
        open.filter { $0.state == .started }.map { entry in
            let at = min(now, max(entry.startedAt ?? entry.updatedAt, lastAlive ?? entry.updatedAt))
            let event = PlayoutEvent(at: at, itemId: entry.itemId,
                                  kind: .interrupted(atMs: entry.offsetReached(lastAlive: lastAlive), by: restartCause))
            return Record(event: event, reason: nil)
        }
    }

    /// Occurrences `plan` must look at: those that started before `now` and after the gateway
    /// went down (or, without a mark, that may still be sounding), none before the stored
    /// schedule arrived. Repeats included; looks back as far as the longest entry plays.
    public static func candidates(_ schedule: GatewaySchedule, lastAlive: Date?, scheduleSince: Date?,
                                  now: Date) throws(ScheduleValidationError) -> [Occurrence] {
        let longest = schedule.entries.map { max(0, $0.content.durationMs) * Int64(max(1, $0.repeatCount)) }.max() ?? 0
        guard longest > 0 else { return [] }
        let reach = TimeInterval(longest) / 1000
        var from = max((lastAlive.map { min($0, now) } ?? now) - reach, now - longestOutage)
        if let scheduleSince { from = max(from, min(scheduleSince, now)) }
        guard from < now else { return [] }
        return try schedule.occurrences(in: DateInterval(start: from, end: now)).filter { $0.start < now && $0.start >= from }
    }

    /// The decisions for `candidates`, given their journal entries (after `close`).
    public static func plan(_ candidates: [Occurrence], journal: [String: PlayJournalEntry], lastAlive: Date?, now: Date,
                            warmUpMs: Int64 = 0) -> Plan {
        var plan = Plan()
        // The outage in ms since 1970, `down=A-B`; without a mark only its end is known, `up=B`.
        let until = PlayLog.milliseconds(now)
        let down = "reason=gateway-down " + (lastAlive.map { "down=\(PlayLog.milliseconds($0))-\(until)" } ?? "up=\(until)")
        for occurrence in candidates {
            let state = journal[occurrence.id]?.state
            if state?.isTerminal == true { continue }
            let missed = Record(event: PlayoutEvent(at: occurrence.start, itemId: occurrence.id, kind: .missed), reason: down)
            guard let decision = decide(occurrence, now: now, warmUpMs: warmUpMs) else {
                // Over: never logged means it never played; a cut play keeps its `interrupted`.
                if state == nil, lastAlive != nil { plan.records.append(missed) }
                continue
            }
            switch (decision, state) {
            case (.missed, nil): plan.records.append(missed)
            case (.missed, _): break
            default: plan.plays.append((occurrence, decision))
            }
        }
        return plan
    }

    /// The machine saw a resumed play as a fresh item of the remaining length; this puts the
    /// offset back into what is logged (`started` becomes `resumed(fromMs:)`).
    public static func translate(_ event: PlayoutEvent, offsetMs: Int64) -> PlayoutEvent {
        var event = event
        switch event.kind {
        case .started: event.kind = .resumed(fromMs: offsetMs)
        case .resumed(let from): event.kind = .resumed(fromMs: from + offsetMs)
        case .finished(let at): event.kind = .finished(atMs: at + offsetMs)
        case .interrupted(let at, let by): event.kind = .interrupted(atMs: at + offsetMs, by: by)
        case .stopped(let at): event.kind = .stopped(atMs: at + offsetMs)
        default: break
        }
        return event
    }
}
