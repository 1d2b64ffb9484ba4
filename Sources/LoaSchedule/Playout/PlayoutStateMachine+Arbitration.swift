#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PlayoutStateMachine {
    /// The common tail of every event: let time-driven transitions happen, fill a free
    /// gateway, set the amplifier, and ask to be woken for the next one.
    mutating func reconcile(now: Date, into actions: inout [PlayoutAction]) {
        endExpiredLiveGap(now: now, into: &actions)
        finishWarmUp(now: now, into: &actions)
        admitUpcoming(now: now, into: &actions)
        dropExpired(now: now, into: &actions)
        startNextIfFree(now: now, into: &actions)
        updateAmplifier(now: now, into: &actions)
        if let wake = nextWakeUp(after: now) { actions.append(.wakeUp(at: wake)) }
    }

    /// Arbitrates an item that has just become due against whatever holds the gateway.
    mutating func admit(_ pending: Pending, now: Date, into actions: inout [PlayoutAction]) {
        let item = pending.item
        if item.hasExpired(at: now) {
            log(expiryKind(of: item), item.id, now, &actions)
            return
        }
        guard let current = currentPending else {
            waiting.append(pending)
            startNextIfFree(now: now, into: &actions)
            return
        }
        if item.priority > current.item.priority, item.onBusy == .preempt {
            interruptCurrent(by: item.id, now: now, into: &actions)
            begin(pending, now: now, into: &actions)
        } else if item.onBusy == .drop {
            log(.dropped(reason: .busy), item.id, now, &actions)
        } else {
            waiting.append(pending)
        }
    }

    /// Cuts the item holding the gateway and files it per its onInterrupt.
    mutating func interruptCurrent(by newcomer: String?, now: Date, into actions: inout [PlayoutAction]) {
        switch state {
        case .idle:
            return
        case .waitingForAmplifier(let pending):
            // Never sounded: it simply waits again, nothing to log.
            waiting.append(pending)
        case .playing(let playing):
            cut(playing, by: newcomer, now: now, into: &actions)
            file(playing.pending, interruptedAt: playing.positionMs(at: now), now: now, into: &actions)
        case .liveGap(let playing, _):
            cut(playing, by: newcomer, now: now, into: &actions)
            // Its source is still gone: it waits for the source, not for the gateway.
            if playing.pending.item.onInterrupt == .drop {
                log(.dropped(reason: .interrupted), playing.pending.item.id, now, &actions)
            } else {
                sourceless.append(playing.pending)
            }
        }
        state = .idle
    }

    private func cut(_ playing: Playing, by newcomer: String?, now: Date, into actions: inout [PlayoutAction]) {
        let id = playing.pending.item.id
        actions.append(.stop(itemId: id, reason: .preempted))
        log(.interrupted(atMs: playing.positionMs(at: now), by: newcomer), id, now, &actions)
    }

    private mutating func file(_ pending: Pending, interruptedAt position: Int64, now: Date,
                               into actions: inout [PlayoutAction]) {
        let openEnded = pending.item.durationMs == nil
        switch pending.item.onInterrupt {
        case .resume:
            waiting.append(Pending(item: pending.item, offsetMs: openEnded ? 0 : position,
                                   origin: .resumed, sequence: pending.sequence))
        case .restart:
            waiting.append(Pending(item: pending.item, offsetMs: 0, origin: .restarted, sequence: pending.sequence))
        case .drop:
            log(.dropped(reason: .interrupted), pending.item.id, now, &actions)
        }
    }

    /// Gives the gateway to `pending`: sound now if the amplifier is ready, else after warm-up.
    mutating func begin(_ pending: Pending, now: Date, into actions: inout [PlayoutAction]) {
        switch amplifier {
        case .on, .idle:
            amplifier = .on
            play(pending, now: now, into: &actions)
        case .warming(let readyAt) where readyAt <= now:
            amplifier = .on
            play(pending, now: now, into: &actions)
        case .warming:
            state = .waitingForAmplifier(pending)
        case .off:
            switchAmplifierOn(now: now, into: &actions)
            state = .waitingForAmplifier(pending)
            finishWarmUp(now: now, into: &actions)
        }
    }

    private mutating func play(_ pending: Pending, now: Date, into actions: inout [PlayoutAction]) {
        state = .playing(Playing(pending: pending, soundStartedAt: now))
        actions.append(.start(pending.item, fromMs: pending.offsetMs))
        let kind: PlayoutEvent.Kind
        switch pending.origin {
        case .fresh: kind = .started
        case .resumed: kind = pending.offsetMs > 0 ? .resumed(fromMs: pending.offsetMs) : .restarted
        case .restarted: kind = .restarted
        }
        log(kind, pending.item.id, now, &actions)
    }

    mutating func finishWarmUp(now: Date, into actions: inout [PlayoutAction]) {
        guard case .warming(let readyAt) = amplifier, readyAt <= now else { return }
        amplifier = .on
        if case .waitingForAmplifier(let pending) = state { play(pending, now: now, into: &actions) }
    }

    private mutating func admitUpcoming(now: Date, into actions: inout [PlayoutAction]) {
        let count = upcoming.prefix { $0.due <= now }.count
        guard count > 0 else { return }
        let due = upcoming.prefix(count)
        upcoming.removeFirst(count)
        // Highest first, so the others meet a busy gateway; id breaks ties deterministically.
        let ordered = due.sorted { ($0.priority, $1.due, $1.id) > ($1.priority, $0.due, $0.id) }
        for item in ordered { admit(makePending(item), now: now, into: &actions) }
    }

    private mutating func dropExpired(now: Date, into actions: inout [PlayoutAction]) {
        guard (waiting + sourceless).contains(where: { $0.item.hasExpired(at: now) }) else { return }
        for pending in (waiting + sourceless).sorted(by: Self.startOrder) where pending.item.hasExpired(at: now) {
            log(pending.origin == .fresh ? expiryKind(of: pending.item) : .expired, pending.item.id, now, &actions)
        }
        waiting.removeAll { $0.item.hasExpired(at: now) }
        sourceless.removeAll { $0.item.hasExpired(at: now) }
    }

    mutating func startNextIfFree(now: Date, into actions: inout [PlayoutAction]) {
        guard case .idle = state, let next = waiting.min(by: Self.startOrder) else { return }
        waiting.removeAll { $0.sequence == next.sequence }
        begin(next, now: now, into: &actions)
    }

    func expiryKind(of item: PlayItem) -> PlayoutEvent.Kind { item.kind == .scheduled ? .missed : .expired }

    func log(_ kind: PlayoutEvent.Kind, _ itemId: String, _ now: Date, _ actions: inout [PlayoutAction]) {
        actions.append(.log(PlayoutEvent(at: now, itemId: itemId, kind: kind)))
    }
}
