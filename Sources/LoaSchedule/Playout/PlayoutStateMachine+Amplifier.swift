#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PlayoutStateMachine {
    /// Keeps the amplifier on while anything holds, waits for, or is about to need the
    /// gateway; otherwise lets it idle and switches it off after the idle delay.
    mutating func updateAmplifier(now: Date, into actions: inout [PlayoutAction]) {
        if amplifierNeeded(now: now) {
            switch amplifier {
            case .off: switchAmplifierOn(now: now, into: &actions)
            case .idle: amplifier = .on
            case .on, .warming: break
            }
            return
        }
        switch amplifier {
        case .on, .warming:
            amplifier = .idle(offAt: now.adding(ms: configuration.amplifierIdleOffMs))
            switchOffIfIdleElapsed(now: now, into: &actions)
        case .idle:
            switchOffIfIdleElapsed(now: now, into: &actions)
        case .off:
            break
        }
    }

    mutating func switchAmplifierOn(now: Date, into actions: inout [PlayoutAction]) {
        actions.append(.amplifier(on: true))
        amplifier = .warming(readyAt: now.adding(ms: configuration.amplifierPreRollMs))
    }

    private mutating func switchOffIfIdleElapsed(now: Date, into actions: inout [PlayoutAction]) {
        guard case .idle(let offAt) = amplifier, offAt <= now else { return }
        actions.append(.amplifier(on: false))
        amplifier = .off
    }

    private func amplifierNeeded(now: Date) -> Bool {
        if case .idle = state {} else { return true }
        if !waiting.isEmpty { return true }
        return upcoming.first.map { preRollStart(of: $0) <= now } ?? false
    }

    func preRollStart(of item: PlayItem) -> Date { item.due.adding(ms: -configuration.amplifierPreRollMs) }

    /// The earliest future instant at which something time-driven happens, if any.
    public func nextWakeUp(after now: Date) -> Date? {
        var instants: [Date] = []
        // Sorted by due: the first item whose pre-roll is still ahead bounds all later ones.
        for item in upcoming {
            let preRoll = preRollStart(of: item)
            instants.append(preRoll > now ? preRoll : item.due)
            if preRoll > now { break }
        }
        switch amplifier {
        case .warming(let readyAt): instants.append(readyAt)
        case .idle(let offAt): instants.append(offAt)
        case .on, .off: break
        }
        if case .liveGap(_, let lostAt) = state {
            instants.append(lostAt.adding(ms: configuration.liveFallbackGraceMs))
        }
        instants += (waiting + sourceless).compactMap(\.item.expiresAt)
        return instants.filter { $0 > now }.min()
    }
}
