#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The gateway's arbiter between scheduled plays, announcements, live streams and emergencies,
/// in the postgres-nio style: events are `mutating func`s that take `now` and return the
/// actions to perform; nothing here sleeps, reads a clock or touches a device.
///
/// Rules (DESIGN.md "Priorities"):
/// - A newcomer with strictly higher priority and onBusy `preempt` cuts the current item at
///   once; with `queue` it waits; with `drop` it is logged dropped. Equal priority never preempts.
/// - The cut item is logged `interrupted` at its position, then — per its onInterrupt — waits to
///   resume from that position, waits to restart, or is logged dropped.
/// - Waiting items start in priority order, then due order, then arrival order.
/// - An item whose expiry passes before it (re)starts is logged `expired` (`missed` for
///   scheduled plays, whose expiry is their lateness tolerance).
/// - Amplifier: on pre-roll before an item's due time when the item was handed in ahead;
///   an item handed in when already due while the amplifier is off waits the pre-roll, so sound
///   starts late rather than into a cold amplifier. Off after the idle delay, and never while
///   something waits, plays, or is due within the pre-roll.
/// - Live: when its source drops the item holds the gateway (silent) for the grace period; if
///   the source returns in time nothing changes, otherwise it is cut (`interrupted`, by nil)
///   and waits, unplayed, for its source to return, while lower items go on.
public struct PlayoutStateMachine: Sendable {
    enum State: Hashable, Sendable {
        case idle
        /// An item has the gateway but the amplifier is still warming up.
        case waitingForAmplifier(Pending)
        case playing(Playing)
        /// A live item whose source dropped at `lostAt`; the gateway is held, silent.
        case liveGap(Playing, lostAt: Date)
    }

    enum Amplifier: Hashable, Sendable {
        case off
        case warming(readyAt: Date)
        case on
        case idle(offAt: Date)
    }

    /// An item that has become due and waits for (or holds) the gateway.
    struct Pending: Hashable, Sendable {
        enum Origin: Hashable, Sendable { case fresh, resumed, restarted }
        var item: PlayItem
        var offsetMs: Int64
        var origin: Origin
        var sequence: UInt64
    }

    struct Playing: Hashable, Sendable {
        var pending: Pending
        var soundStartedAt: Date

        func positionMs(at now: Date) -> Int64 {
            guard pending.item.durationMs != nil else { return millis(now.timeIntervalSince(soundStartedAt)) }
            let position = pending.offsetMs + millis(now.timeIntervalSince(soundStartedAt))
            return min(position, pending.item.durationMs ?? position)
        }
    }

    public let configuration: PlayoutConfiguration
    var state: State = .idle
    var amplifier: Amplifier = .off
    /// Handed in ahead of their due time, not yet arbitrated; kept sorted by due time so a
    /// year of plays costs a binary search per hand-in and a look at the front per event.
    var upcoming: [PlayItem] = []
    /// Due, waiting for the gateway.
    var waiting: [Pending] = []
    /// Live items cut by the loss of their source, waiting for it to return.
    var sourceless: [Pending] = []
    var nextSequence: UInt64 = 0

    public init(configuration: PlayoutConfiguration = PlayoutConfiguration()) {
        self.configuration = configuration
    }

    // MARK: Events

    /// An item is handed in. If `item.due` is later than `now` it is held until then (so the
    /// amplifier can pre-roll); otherwise it is arbitrated now.
    ///
    /// Idempotent by id: handing in an id that is already held or waiting replaces that copy
    /// (so a re-expanded schedule can be handed in again); an id that holds the gateway is ignored.
    public mutating func itemDue(_ item: PlayItem, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        upcoming.removeAll { $0.id == item.id }
        if let index = waiting.firstIndex(where: { $0.item.id == item.id }) {
            waiting[index].item = item
        } else if currentPending?.item.id == item.id {
            // Already holds the gateway: nothing to change.
        } else if item.due > now {
            insertUpcoming(item)
        } else {
            admit(makePending(item), now: now, into: &actions)
        }
        reconcile(now: now, into: &actions)
        return actions
    }

    /// Forgets items handed in ahead that are not yet due and match `predicate`, without a log
    /// event: for a gateway that received a new schedule version and hands in its expansion.
    public mutating func withdrawUpcoming(now: Date, where predicate: (PlayItem) -> Bool) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        upcoming.removeAll(where: predicate)
        reconcile(now: now, into: &actions)
        return actions
    }

    /// The player reports that `itemId` played to its end (`positionMs` reached).
    public mutating func itemFinished(_ itemId: String, positionMs: Int64, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        if let playing = currentPlaying, playing.pending.item.id == itemId {
            actions.append(.log(PlayoutEvent(at: now, itemId: itemId, kind: .finished(atMs: positionMs))))
            state = .idle
        }
        reconcile(now: now, into: &actions)
        return actions
    }

    /// The player cut `itemId` with the speaker at `positionMs` (the item's own ms): a resume
    /// waiting for the gateway starts there rather than where the clock put the cut, so a start
    /// that came out late, or a player starved of CPU, does not make the resume skip audio
    /// nobody heard. The adapter puts the same position in the cut's log event
    /// (`PlayoutEvent.placingCut(atMs:)`).
    public mutating func cutSounded(_ itemId: String, atMs positionMs: Int64) {
        guard let index = waiting.firstIndex(where: { $0.item.id == itemId && $0.origin == .resumed }),
              let duration = waiting[index].item.durationMs else { return }
        waiting[index].offsetMs = min(max(0, positionMs), duration)
    }

    /// An operator stops `itemId`, wherever it is: playing, waiting, or not yet due.
    public mutating func stop(_ itemId: String, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        removeEverywhere(itemId, now: now, into: &actions)
        reconcile(now: now, into: &actions)
        return actions
    }

    /// The source of live item `itemId` went quiet.
    public mutating func liveSourceLost(_ itemId: String, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        markSourceLost(itemId, now: now, into: &actions)
        reconcile(now: now, into: &actions)
        return actions
    }

    /// The source of live item `itemId` is back.
    public mutating func liveSourceBack(_ itemId: String, now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        markSourceBack(itemId, now: now, into: &actions)
        reconcile(now: now, into: &actions)
        return actions
    }

    /// Time passed; call at (or after) the last `wakeUp` instant.
    public mutating func tick(now: Date) -> [PlayoutAction] {
        var actions: [PlayoutAction] = []
        reconcile(now: now, into: &actions)
        return actions
    }

    // MARK: Observations

    /// The item holding the gateway (playing, warming up for, or in a live gap), if any.
    public var currentItem: PlayItem? { currentPending?.item }

    /// Ids of items due and waiting for the gateway, in the order they would start.
    public var waitingItemIds: [String] { waiting.sorted(by: Self.startOrder).map(\.item.id) }

    /// True when a live or relayed stream holds the gateway or waits for it.
    public var holdsLive: Bool {
        let isLive = { (item: PlayItem) in item.kind == .live || item.kind == .relay }
        return currentItem.map(isLive) == true || waiting.contains { isLive($0.item) }
    }

    /// True while the amplifier is on or warming up.
    public var isAmplifierOn: Bool {
        if case .off = amplifier { return false }
        return true
    }

    var currentPending: Pending? {
        switch state {
        case .idle: return nil
        case .waitingForAmplifier(let pending): return pending
        case .playing(let playing), .liveGap(let playing, _): return playing.pending
        }
    }

    var currentPlaying: Playing? {
        switch state {
        case .playing(let playing), .liveGap(let playing, _): return playing
        case .idle, .waitingForAmplifier: return nil
        }
    }

    mutating func insertUpcoming(_ item: PlayItem) {
        var low = 0, high = upcoming.count
        while low < high {
            let mid = (low + high) / 2
            if upcoming[mid].due <= item.due { low = mid + 1 } else { high = mid }
        }
        upcoming.insert(item, at: low)
    }

    mutating func makePending(_ item: PlayItem, offsetMs: Int64 = 0, origin: Pending.Origin = .fresh) -> Pending {
        nextSequence += 1
        return Pending(item: item, offsetMs: offsetMs, origin: origin, sequence: nextSequence)
    }

    /// Waiting order: priority (higher first), then due time, then arrival.
    static func startOrder(_ a: Pending, _ b: Pending) -> Bool {
        if a.item.priority != b.item.priority { return a.item.priority > b.item.priority }
        if a.item.due != b.item.due { return a.item.due < b.item.due }
        return a.sequence < b.sequence
    }
}

func millis(_ interval: TimeInterval) -> Int64 { Int64((interval * 1000).rounded()) }

extension Date {
    func adding(ms: Int64) -> Date { addingTimeInterval(TimeInterval(ms) / 1000) }
}
