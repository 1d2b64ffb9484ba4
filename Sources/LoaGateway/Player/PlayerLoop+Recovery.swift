#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// What a start finds of the previous run (`RestartRecovery`): plays it left open, what the
/// stored schedule had sounding while the gateway was down, and the alive mark that bounds
/// the outage.
extension PlayerLoop {
    /// About once a second: the mark the next start bounds this run's end with.
    func markAlive(force: Bool = false) {
        guard let alive else { return }
        let now = clock.now()
        if !force, let last = aliveWrittenAt, abs(now.timeIntervalSince(last)) < 1 { return }
        aliveWrittenAt = now
        if !alive.write(now) { remember("cannot write \(alive.path)") }
    }

    /// At the first turn: the plays the previous run left sounding are logged `interrupted`
    /// by the restart, so none stays open (`RestartRecovery.close`); old journal rows go.
    func closeOpenPlays(now: Date) {
        journalClosed = true
        do {
            for record in RestartRecovery.close(try log.outbox.openJournalEntries(), lastAlive: previousAlive, now: now) {
                logger.notice("play cut by the gateway's restart", metadata: ["item.id": "\(record.event.itemId)", "kind": "\(record.event.kind)"])
                try log.record(record.event, reason: record.reason)
            }
            try log.outbox.pruneJournal(before: now.addingTimeInterval(-RestartRecovery.longestOutage - 86_400))
        } catch {
            remember("\(error)")
        }
    }

    /// With the stored schedule at startup: what started while the gateway was down is
    /// missed, resumed or restarted (`RestartRecovery.plan`).
    func recoverSchedule(_ schedule: GatewaySchedule?, now: Date) -> [PlayoutAction] {
        guard let schedule else { return [] }
        do {
            let candidates = try RestartRecovery.candidates(schedule, lastAlive: previousAlive, scheduleSince: scheduleStoredAt(), now: now)
            let journal = try log.outbox.journalEntries(candidates.map(\.id))
            let plan = RestartRecovery.plan(candidates, journal: journal, lastAlive: previousAlive, now: now,
                                           warmUpMs: planner.warmUpMs)
            for record in plan.records {
                logger.notice("scheduled play missed while the gateway was down", metadata: ["item.id": "\(record.event.itemId)"])
                try log.record(record.event, reason: record.reason)
            }
            for (occurrence, decision) in plan.plays where decision == .restart && journal[occurrence.id] != nil {
                planner.recoveredRestarts.insert(occurrence.id)
            }
            return planner.recover(plan.plays, now: now)
        } catch {
            remember("restart recovery: \(error)")
            return []
        }
    }
}
