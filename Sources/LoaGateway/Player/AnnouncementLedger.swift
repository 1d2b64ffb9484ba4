#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaSchedule

/// The announcements this gateway was given and how far each got, kept on disk
/// (`AnnouncementStore`) so that:
///
/// - a resend is not played twice: the controller sends every active announcement again at
///   each handshake, so without this a 4G link that drops and comes back during an
///   announcement's validity would repeat it on the loudspeakers;
/// - an announcement received before a restart still plays after it, with no link: a gateway
///   rebooted offline keeps what the operator pushed.
///
/// A value: the player feeds it what it receives and what it logs, and asks it at start-up
/// what to hand back to the planner. Nothing here reads a clock or a file.
public struct AnnouncementLedger: Codable, Sendable, Equatable {
    /// How far an announcement got.
    public enum Progress: Codable, Sendable, Equatable {
        /// Received, not sounded yet (due later, queued behind something, or cut short by a restart before its instant).
        case waiting
        /// Sounding since `since`, from `fromMs` into the content.
        case sounding(since: Date, fromMs: Int64)
        /// Interrupted at `atMs` by something of higher priority; waits to resume or restart.
        case cut(atMs: Int64)
        /// Finished, stopped, dropped or expired: never to be played again.
        case settled
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var item: PlayItem
        public var progress: Progress
    }

    /// What to do with an unsettled announcement after a restart.
    public enum Recovery: Equatable, Sendable {
        /// Hand it in as received (its instant may have passed: it plays now unless it expired).
        case handIn(PlayItem)
        /// Play the rest, from `fromMs` (onInterrupt `resume`).
        case resume(PlayItem, fromMs: Int64)
        /// It was sounding or cut and its onInterrupt is `drop`: log it dropped.
        case drop(PlayItem)
        /// It would have ended before now: nothing to play; its record ends at `started`.
        case over(PlayItem)
    }

    /// How long a settled announcement is remembered after its expiry: the controller resends
    /// only announcements it holds active, by its own clock, which may run ahead of or behind ours.
    public static let retention: TimeInterval = 3_600
    /// The expiry assumed for an announcement without one, counted from its instant.
    public static let openEndedRetention: TimeInterval = 7 * 86_400

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// An announcement arrived. True the first time its id is seen (hand it to the planner);
    /// false for a resend of one already received, whatever became of it.
    public mutating func receive(_ item: PlayItem) -> Bool {
        guard entries[item.id] == nil else { return false }
        entries[item.id] = Entry(item: item, progress: .waiting)
        return true
    }

    /// An as-played event was logged. Returns whether the ledger changed (and should be saved).
    public mutating func observe(_ event: PlayoutEvent) -> Bool {
        guard var entry = entries[event.itemId], entry.progress != .settled else { return false }
        switch event.kind {
        case .started, .restarted:
            entry.progress = .sounding(since: event.at, fromMs: 0)
        case .resumed(let fromMs):
            entry.progress = .sounding(since: event.at, fromMs: fromMs)
        case .interrupted(let atMs, _):
            entry.progress = .cut(atMs: atMs)
        case .finished, .stopped, .dropped, .expired, .missed, .relayMissed:
            entry.progress = .settled
        case .sourceLost, .sourceRestored:
            return false
        }
        guard entry != entries[event.itemId] else { return false }
        entries[event.itemId] = entry
        return true
    }

    /// The unsettled announcements after a restart at `now`, each with what to do with it.
    /// `warmUpMs`: how long until sound can come out (the amplifier's pre-roll when it is off),
    /// so a play that kept running on the clock resumes where it will be then.
    public func recovery(now: Date, warmUpMs: Int64) -> [Recovery] {
        entries.values.sorted { ($0.item.due, $0.item.id) < ($1.item.due, $1.item.id) }.compactMap { entry in
            let item = entry.item
            switch entry.progress {
            case .settled:
                return nil
            case .waiting:
                return .handIn(item)
            case .sounding(let since, let fromMs):
                // As if the outage had interrupted it: the play went on with the clock.
                let position = fromMs + max(0, Int64((now.timeIntervalSince(since) * 1000).rounded(.down)))
                return Self.recover(item, at: position + warmUpMs)
            case .cut(let atMs):
                // It was waiting behind something else: it resumes where it was cut.
                return Self.recover(item, at: atMs)
            }
        }
    }

    private static func recover(_ item: PlayItem, at position: Int64) -> Recovery {
        switch item.onInterrupt {
        case .drop:
            return .drop(item)
        case .restart:
            return .handIn(item)
        case .resume:
            if let duration = item.durationMs, position >= duration { return .over(item) }
            return .resume(item, fromMs: position)
        }
    }

    /// Marks `itemId` settled without an event (an `over` recovery). Returns whether it changed.
    public mutating func settle(_ itemId: String) -> Bool {
        guard var entry = entries[itemId], entry.progress != .settled else { return false }
        entry.progress = .settled
        entries[itemId] = entry
        return true
    }

    /// Forgets announcements that can no longer be resent: past their expiry by `retention`.
    /// Returns whether anything was forgotten.
    public mutating func prune(now: Date) -> Bool {
        let before = entries.count
        entries = entries.filter { _, entry in
            let expiry = entry.item.expiresAt ?? entry.item.due.addingTimeInterval(Self.openEndedRetention)
            return expiry.addingTimeInterval(Self.retention) > now
        }
        return entries.count != before
    }
}
