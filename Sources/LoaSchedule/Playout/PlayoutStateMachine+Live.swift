#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PlayoutStateMachine {
    mutating func markSourceLost(_ itemId: String, now: Date, into actions: inout [PlayoutAction]) {
        if case .playing(let playing) = state, playing.pending.item.id == itemId {
            state = .liveGap(playing, lostAt: now)
            log(.sourceLost, itemId, now, &actions)
        } else if let index = waiting.firstIndex(where: { $0.item.id == itemId }) {
            // Waiting behind something else: it cannot start without a source.
            sourceless.append(waiting.remove(at: index))
            log(.sourceLost, itemId, now, &actions)
        }
    }

    mutating func markSourceBack(_ itemId: String, now: Date, into actions: inout [PlayoutAction]) {
        if case .liveGap(let playing, _) = state, playing.pending.item.id == itemId {
            state = .playing(playing)
            log(.sourceRestored, itemId, now, &actions)
        } else if let index = sourceless.firstIndex(where: { $0.item.id == itemId }) {
            let pending = sourceless.remove(at: index)
            log(.sourceRestored, itemId, now, &actions)
            // Back in the running as if newly due, with its own onBusy against what plays now.
            admit(Pending(item: pending.item, offsetMs: 0, origin: .resumed, sequence: pending.sequence),
                  now: now, into: &actions)
        }
    }

    /// Falls back once a live gap has outlasted the grace period.
    mutating func endExpiredLiveGap(now: Date, into actions: inout [PlayoutAction]) {
        guard case .liveGap(let playing, let lostAt) = state,
              lostAt.adding(ms: configuration.liveFallbackGraceMs) <= now else { return }
        let item = playing.pending.item
        actions.append(.stop(itemId: item.id, reason: .sourceLost))
        log(.interrupted(atMs: playing.positionMs(at: now), by: nil), item.id, now, &actions)
        sourceless.append(playing.pending)
        state = .idle
    }

    /// Removes `itemId` wherever it is, logging `stopped` if it was sounding.
    mutating func removeEverywhere(_ itemId: String, now: Date, into actions: inout [PlayoutAction]) {
        if let playing = currentPlaying, playing.pending.item.id == itemId {
            actions.append(.stop(itemId: itemId, reason: .stopped))
            log(.stopped(atMs: playing.positionMs(at: now)), itemId, now, &actions)
            state = .idle
            return
        }
        if case .waitingForAmplifier(let pending) = state, pending.item.id == itemId {
            state = .idle
            log(.dropped(reason: .stopped), itemId, now, &actions)
            return
        }
        let known = upcoming.contains { $0.id == itemId } || waiting.contains { $0.item.id == itemId }
            || sourceless.contains { $0.item.id == itemId }
        upcoming.removeAll { $0.id == itemId }
        waiting.removeAll { $0.item.id == itemId }
        sourceless.removeAll { $0.item.id == itemId }
        if known { log(.dropped(reason: .stopped), itemId, now, &actions) }
    }
}

extension PlayoutStateMachine {
    /// A live stream ended on purpose (`liveEnd`) while its item does not hold the gateway:
    /// forget the item. One that never sounded (not yet due, or waiting fresh) is logged
    /// `expired`; one already cut (its `interrupted` is logged) leaves without another event.
    /// An item holding the gateway is left alone: it ends by `itemFinished` once drained.
    public mutating func streamEnded(_ itemId: String, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        let neverSounded = upcoming.contains { $0.id == itemId }
            || waiting.contains { $0.item.id == itemId && $0.origin == .fresh }
        upcoming.removeAll { $0.id == itemId }
        waiting.removeAll { $0.item.id == itemId }
        sourceless.removeAll { $0.item.id == itemId }
        if neverSounded { log(.expired, itemId, now, &actions) }
        reconcile(now: now, into: &actions)
        return actions
    }
}
