import Foundation
@testable import LoaSchedule

/// Shared builders for the schedule tests: instants in Hanoi time, items, entries.
enum Fixture {
    static let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let hash = String(repeating: "ab", count: 32)

    /// An instant given as a Hanoi wall-clock time (UTC+7, no DST).
    static func hanoiTime(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Date {
        let days = LocalDate(year: y, month: mo, day: d).daysSinceEpoch
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + s - 7 * 3600))
    }

    /// An instant given as a UTC wall-clock time.
    static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Date {
        let days = LocalDate(year: y, month: mo, day: d).daysSinceEpoch
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + s))
    }

    /// A base instant for state-machine tests, and offsets from it in seconds.
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func item(_ id: String, _ priority: Priority, due: Double = 0, seconds: Int64? = 60,
                     kind: PlayItem.Kind = .announcement, onBusy: OnBusy = .preempt,
                     onInterrupt: OnInterrupt = .resume, expiresAfter: Double? = nil) -> PlayItem {
        PlayItem(id: id, kind: kind, content: hash, priority: priority, durationMs: seconds.map { $0 * 1000 },
                 onBusy: onBusy, onInterrupt: onInterrupt, due: at(due),
                 expiresAt: expiresAfter.map { at(due + $0) })
    }

    static func content(seconds: Int64, title: String = "Bản tin") -> Content {
        Content(sha256: hash, durationMs: seconds * 1000, title: title)
    }

    static func entry(_ id: String, _ recurrence: Recurrence, _ h: Int, _ m: Int, seconds: Int64 = 300,
                      from: LocalDate? = nil, to: LocalDate? = nil, repeats: Int = 1,
                      priority: Priority = .scheduled) -> ScheduleEntry {
        ScheduleEntry(id: id, content: content(seconds: seconds), recurrence: recurrence,
                      time: LocalTime(hour: h, minute: m), validFrom: from, validTo: to,
                      repeatCount: repeats, priority: priority)
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d) }
}

/// Filters of an action list, so a test can assert one concern at a time.
extension Array where Element == PlayoutAction {
    var logged: [PlayoutEvent.Kind] { compactMap { if case .log(let e) = $0 { return e.kind } else { return nil } } }
    var loggedIds: [String] { compactMap { if case .log(let e) = $0 { return e.itemId } else { return nil } } }
    var started: [String] { compactMap { if case .start(let item, _) = $0 { return item.id } else { return nil } } }
    var wakeUp: Date? { compactMap { if case .wakeUp(let at) = $0 { return at } else { return nil } }.last }
    var amplifier: [Bool] { compactMap { if case .amplifier(let on) = $0 { return on } else { return nil } } }
    /// Everything but the wake-up and log actions: what the player and relay are told.
    var commands: [PlayoutAction] {
        filter { if case .wakeUp = $0 { return false }; if case .log = $0 { return false }; return true }
    }
}
