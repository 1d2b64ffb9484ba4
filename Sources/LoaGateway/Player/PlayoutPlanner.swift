#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// The player's decisions, as a value: expands the stored schedule a window ahead, hands each
/// occurrence to the `PlayoutStateMachine` exactly once, and merges the machine's actions.
/// Every call takes `now` (controller time); nothing here sleeps, reads a clock or plays.
public struct PlayoutPlanner: Sendable {
    public private(set) var machine: PlayoutStateMachine
    public private(set) var schedule: GatewaySchedule?
    /// How far ahead occurrences are handed in (the machine pre-rolls the amplifier for them).
    public let window: TimeInterval
    /// Occurrence ids handed in, with their due time; pruned once well past.
    private var handedIn: [String: Date] = [:]
    /// Occurrences starting before this were already considered.
    private var expandedUntil: Date?
    /// Plays resumed after a restart, by item id: the offset (ms) they resumed from. The machine
    /// sees each as a fresh item of the remaining length; the player adds the offset back.
    public private(set) var recoveredOffsets: [String: Int64] = [:]
    /// Plays cut by a restart and played again from the beginning: their next `started` is a
    /// `restarted`.
    public var recoveredRestarts: Set<String> = []
    /// Relay windows handed in whose arrival deadline has not come yet, by window id.
    public private(set) var awaitedRelays: [String: RelayEntry.Window] = [:]
    /// Why the last expansion failed, for the log and health.
    public private(set) var lastError: String?

    public init(configuration: PlayoutConfiguration, window: TimeInterval = 3_600) {
        self.machine = PlayoutStateMachine(configuration: configuration)
        self.window = window
    }

    /// A new schedule (or the stored one at startup). Withdraws scheduled items not yet due and
    /// hands in the new expansion; items already playing or past are left alone. What started
    /// while the gateway was down is the player's to hand back (`recover`).
    public mutating func scheduleChanged(_ schedule: GatewaySchedule?, now: Date) -> [PlayoutAction] {
        self.schedule = schedule
        var merged = ActionMerger()
        merged.add(machine.withdrawUpcoming(now: now) { $0.kind == .scheduled && $0.due > now })
        handedIn = handedIn.filter { $0.value <= now }
        awaitedRelays = awaitedRelays.filter { $0.value.start <= now && schedule?.relays.contains($0.value.entry) == true }
        expandedUntil = min(expandedUntil ?? now, now)
        merged.add(expand(now: now))
        return withRelayWake(merged.actions)
    }

    /// Time passed: extend the window and let the machine act.
    public mutating func tick(now: Date) -> [PlayoutAction] {
        var merged = ActionMerger()
        merged.add(expand(now: now))
        merged.add(checkRelays(now: now))
        merged.add(machine.tick(now: now))
        return withRelayWake(merged.actions)
    }

    /// Relay windows whose deadline passed: covered when a live stream holds or waits for the
    /// gateway (the relay arrived, or something above it plays), else logged `relayMissed` and
    /// the rule's fallback bulletin handed in for the rest of the window.
    private mutating func checkRelays(now: Date) -> [PlayoutAction] {
        var merged = ActionMerger()
        let live = machine.holdsLive
        for window in awaitedRelays.values.sorted(by: { $0.start < $1.start }) where window.deadline <= now {
            awaitedRelays[window.id] = nil
            guard !live else { continue }
            merged.add([.log(PlayoutEvent(at: now, itemId: window.id, kind: .relayMissed))])
            if now < window.end, let fallback = window.fallbackItem(now: now) { merged.add(machine.itemDue(fallback, now: now)) }
        }
        return merged.actions
    }

    /// The machine's wake-up, or the next relay deadline when that comes first.
    private func withRelayWake(_ actions: [PlayoutAction]) -> [PlayoutAction] {
        guard let next = awaitedRelays.values.map(\.deadline).min() else { return actions }
        var body = actions
        var wake = next
        if case .wakeUp(let at)? = body.last {
            body.removeLast()
            wake = min(at, next)
        }
        return body + [.wakeUp(at: wake)]
    }

    /// An announcement (or any item not from the schedule).
    public mutating func itemDue(_ item: PlayItem, now: Date) -> [PlayoutAction] {
        machine.itemDue(item, now: now)
    }

    /// An item that already sounded up to `fromMs` (a play cut by a restart): the machine sees
    /// a fresh item of the remaining length; the player starts the content at `fromMs` and
    /// logs the offset back in (`started` becomes `resumed`).
    public mutating func resume(_ item: PlayItem, fromMs: Int64, now: Date) -> [PlayoutAction] {
        var rest = item
        if let duration = item.durationMs {
            guard fromMs < duration else { return [] }
            rest.durationMs = duration - fromMs
        }
        recoveredOffsets[item.id] = fromMs
        return machine.itemDue(rest, now: now)
    }

    /// How long until sound can come out: the amplifier's pre-roll while it is off.
    public var warmUpMs: Int64 { machine.isAmplifierOn ? 0 : machine.configuration.amplifierPreRollMs }

    public mutating func stop(_ itemId: String, now: Date) -> [PlayoutAction] {
        machine.stop(itemId, now: now)
    }

    /// The player cut `itemId` with the speaker at `positionMs` of its file; returns the
    /// position in the machine's terms (a play resumed after a restart counts from its resume
    /// point there), for the cut's log event.
    public mutating func cutSounded(_ itemId: String, atMs positionMs: Int64) -> Int64 {
        let position = positionMs - (recoveredOffsets[itemId] ?? 0)
        machine.cutSounded(itemId, atMs: position)
        return position
    }

    public mutating func itemFinished(_ itemId: String, positionMs: Int64, now: Date) -> [PlayoutAction] {
        machine.itemFinished(itemId, positionMs: positionMs, now: now)
    }

    /// The source of live item `itemId` went quiet (the grace starts) or came back.
    public mutating func liveSourceLost(_ itemId: String, now: Date) -> [PlayoutAction] {
        machine.liveSourceLost(itemId, now: now)
    }

    public mutating func liveSourceBack(_ itemId: String, now: Date) -> [PlayoutAction] {
        machine.liveSourceBack(itemId, now: now)
    }

    /// A live stream ended while its item did not hold the gateway.
    public mutating func streamEnded(_ itemId: String, now: Date) -> [PlayoutAction] {
        machine.streamEnded(itemId, now: now)
    }

    /// After a start: plays that began while the gateway was down and would still be sounding,
    /// as `RestartRecovery.plan` decided (`missed` ones are its records, not plays). Each
    /// occurrence is handed in once; a restart is logged `restarted` when `recoveredRestarts`
    /// holds it (a play that had sounded before), `started` otherwise.
    public mutating func recover(_ plays: [(Occurrence, RestartRecovery)], now: Date) -> [PlayoutAction] {
        // Sound comes after the amplifier's pre-roll, so a resume starts where the play will be then.
        let warmUp = warmUpMs
        var merged = ActionMerger()
        for (occurrence, decision) in plays where handedIn[occurrence.id] == nil {
            handedIn[occurrence.id] = occurrence.start
            switch decision {
            case .missed:
                continue
            case .restart:
                merged.add(machine.itemDue(occurrence.playItem(), now: now))
            case .resume(let elapsed):
                merged.add(resume(occurrence.playItem(), fromMs: elapsed + warmUp, now: now))
            }
        }
        return merged.actions
    }

    private mutating func expand(now: Date) -> [PlayoutAction] {
        let from = expandedUntil ?? now
        let until = now.addingTimeInterval(window)
        guard let schedule, from < until else { return [] }
        let occurrences: [Occurrence]
        do {
            occurrences = try schedule.occurrences(in: DateInterval(start: from, end: until))
            lastError = nil
        } catch {
            lastError = "schedule version \(schedule.version): \(error)"
            return []
        }
        expandedUntil = until
        handedIn = handedIn.filter { $0.value > now.addingTimeInterval(-2 * window) }
        if let windows = try? schedule.relayWindows(in: DateInterval(start: from, end: until)) {
            for relay in windows where handedIn[relay.id] == nil && relay.end > now {
                handedIn[relay.id] = relay.start
                awaitedRelays[relay.id] = relay
            }
        }
        var merged = ActionMerger()
        for occurrence in occurrences where handedIn[occurrence.id] == nil {
            handedIn[occurrence.id] = occurrence.start
            merged.add(machine.itemDue(occurrence.playItem(), now: now))
        }
        return merged.actions
    }
}

/// Concatenates action lists from several machine calls: every action in order, but only the
/// last call's `wakeUp` (each call's list reflects the whole machine, so it supersedes).
struct ActionMerger {
    private(set) var body: [PlayoutAction] = []
    private var wake: PlayoutAction?
    private var any = false

    mutating func add(_ actions: [PlayoutAction]) {
        guard !actions.isEmpty else { return }
        any = true
        wake = nil
        for action in actions {
            if case .wakeUp = action { wake = action } else { body.append(action) }
        }
    }

    var actions: [PlayoutAction] { wake.map { body + [$0] } ?? body }
}
