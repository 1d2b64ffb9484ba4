#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// Announcements survive resends and restarts (`AnnouncementLedger`): a resend of one already
/// received is ignored, and after a restart the unsettled ones are handed back to the planner.
extension PlayerLoop {
    /// Whether a received announcement goes to the planner: yes the first time, no for a
    /// resend (the controller resends active announcements at every handshake). Test tones
    /// (their own input) and players without a store are not kept.
    func admitAnnouncement(_ item: PlayItem, now: Date) -> Bool {
        guard announcementStore != nil else { return true }
        guard ledger.receive(item) else {
            logger.info("announcement already received; resend ignored", metadata: ["item.id": "\(item.id)"])
            return false
        }
        saveLedger(now: now)
        return true
    }

    /// At the first turn: loads the ledger and hands back what a restart cut short.
    func recoverAnnouncements(now: Date) -> [PlayoutAction] {
        ledgerLoaded = true
        guard let store = announcementStore else { return [] }
        do {
            ledger = try store.load()
        } catch {
            remember("\(error)")
            return []
        }
        var merged = ActionMerger()
        var dropped: [PlayoutAction] = []
        for recovery in ledger.recovery(now: now, warmUpMs: planner.warmUpMs) {
            switch recovery {
            case .handIn(let item):
                logger.notice("announcement handed in again after a restart", metadata: ["item.id": "\(item.id)"])
                merged.add(planner.itemDue(item, now: now))
            case .resume(let item, let fromMs):
                logger.notice("announcement resumed after a restart", metadata: ["item.id": "\(item.id)", "from.ms": "\(fromMs)"])
                merged.add(planner.resume(item, fromMs: fromMs, now: now))
            case .drop(let item):
                dropped.append(.log(PlayoutEvent(at: now, itemId: item.id, kind: .dropped(reason: .interrupted))))
            case .over(let item):
                // It would have ended while the gateway was down; nothing is left to play.
                logger.notice("announcement would have ended during the restart", metadata: ["item.id": "\(item.id)"])
                _ = ledger.settle(item.id)
            }
        }
        saveLedger(now: now)
        return dropped + merged.actions
    }

    /// Writes the ledger (pruned of what can no longer be resent); a failure is reported and
    /// playback goes on.
    func saveLedger(now: Date) {
        guard let store = announcementStore else { return }
        _ = ledger.prune(now: now)
        do { try store.save(ledger) } catch { remember("\(error)") }
    }
}
