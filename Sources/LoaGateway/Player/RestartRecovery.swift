import Foundation
import LoaSchedule

/// What to do, after a (re)start, with a scheduled play whose start passed while the gateway
/// was down but which would still be sounding now. Decided by the entry's onInterrupt policy,
/// as if the outage had interrupted it:
///
/// - `resume`: play the rest, from the offset it would have reached (`resume(fromMs:)`);
/// - `restart`: play it from the beginning now (its late tolerance is its duration);
/// - `drop`: log it `missed`.
///
/// Plays that ended before now are left alone: they may well have played before the outage,
/// and their record (if any) is already in the outbox.
public enum RestartRecovery: Equatable, Sendable {
    case resume(fromMs: Int64)
    case restart
    case missed

    /// Nil when `occurrence` is not in progress at `now`.
    public static func decide(_ occurrence: Occurrence, now: Date) -> RestartRecovery? {
        guard occurrence.start < now, now < occurrence.end else { return nil }
        let elapsed = Int64((now.timeIntervalSince(occurrence.start) * 1000).rounded(.down))
        switch occurrence.onInterrupt {
        case .resume: return .resume(fromMs: elapsed)
        case .restart: return .restart
        case .drop: return .missed
        }
    }

    /// Occurrences of `schedule` in progress at `now`, with what to do with each. Looks back
    /// as far as the longest entry plays (repeats included).
    public static func inProgress(_ schedule: GatewaySchedule, now: Date) throws(ScheduleValidationError) -> [(Occurrence, RestartRecovery)] {
        let longest = schedule.entries.map { max(0, $0.content.durationMs) * Int64(max(1, $0.repeatCount)) }.max() ?? 0
        guard longest > 0 else { return [] }
        let from = now.addingTimeInterval(-TimeInterval(longest) / 1000)
        return try schedule.occurrences(in: DateInterval(start: from, end: now)).compactMap { occurrence in
            decide(occurrence, now: now).map { (occurrence, $0) }
        }
    }

    /// The machine saw a resumed play as a fresh item of the remaining length; this puts the
    /// offset back into what is logged (`started` becomes `resumed(fromMs:)`).
    public static func translate(_ event: PlayEvent, offsetMs: Int64) -> PlayEvent {
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
