import Foundation
import LoaSchedule

/// Lays a `Program` out on its time line and turns it into the schedule entries a gateway
/// gets: one per item that sounds, all with the program's time and recurrence, each offset by
/// the items (and pauses) before it, so the gateway plays them back to back — offline too —
/// and its as-played log names the program and the place (`program-12.3@…#0`). Pure.
public enum ProgramCompiler {
    /// One item placed on the program's time line.
    public struct Slot: Sendable, Equatable {
        /// 1-based place in the program (a bulletin sent down and placed into one occurrence
        /// has none of its own: the position of the program item before it).
        public var position: Int
        /// The dispatch target this item was placed for (a bulletin sent down), nil for the
        /// program's own items.
        public var insertedFor: Int64? = nil
        public var item: Program.Item
        /// From the program's start, ms.
        public var offsetMs: Int64
        public var durationMs: Int64
        /// False when the item is left out: its bulletin is not approved (any more), or it
        /// would start after the planned length under `finish-item`.
        public var plays: Bool
        /// Why it is left out.
        public var reason: String?

        public var endMs: Int64 { offsetMs + durationMs }
    }

    /// The program's time line: every item, placed. Items left out take no time; pauses take
    /// theirs. Under `finish-item` the item on air at the planned end finishes and the ones
    /// after it are left out; under `play-on` all play.
    public static func layout(_ program: Program, bulletins: [String: Bulletin]) -> [Slot] {
        layout(program.items.enumerated().map { Slot(position: $0.offset + 1, item: $0.element, offsetMs: 0, durationMs: 0, plays: true) },
               program, bulletins: bulletins)
    }

    /// One occurrence's time line with bulletins sent down placed into it: each at its
    /// position (1-based, counted in the combined list), in the order of their positions; of
    /// two at the same position the one sent first plays first (two priority bulletins from
    /// above both enter at the front, in the order they came).
    public static func layout(_ program: Program, bulletins: [String: Bulletin], inserting: [ProgramInsertion]) -> [Slot] {
        layout(combined(program, inserting), program, bulletins: bulletins)
    }

    /// The program's items with the bulletins placed into one occurrence, in order, unplaced.
    private static func combined(_ program: Program, _ inserting: [ProgramInsertion]) -> [Slot] {
        var slots = program.items.enumerated().map { Slot(position: $0.offset + 1, item: $0.element, offsetMs: 0, durationMs: 0, plays: true) }
        // Inserted one by one at their index: at one position, the later target goes in first.
        for insertion in inserting.sorted(by: { ($0.placement.position, -$0.targetID) < ($1.placement.position, -$1.targetID) }) {
            let index = min(max(0, insertion.placement.position - 1), slots.count)
            let before = index > 0 ? slots[index - 1].position : 0
            slots.insert(Slot(position: before, insertedFor: insertion.targetID, item: .bulletin(sha256: insertion.sha256),
                              offsetMs: 0, durationMs: 0, plays: true), at: index)
        }
        return slots
    }

    /// The occurrence of `day` as it plays: the program whole, with that day's placed bulletins
    /// (`inserting`, this program's of that day), or — on the day of a cutover — only what comes
    /// after the item that was on air at the edit, from the instant that item ends.
    public static func daySlots(_ program: Program, bulletins: [String: Bulletin], inserting: [ProgramInsertion], day: LocalDate) -> [Slot] {
        guard let cutover = program.cutover, cutover.date == day else { return layout(program, bulletins: bulletins, inserting: inserting) }
        var seenOnAir = cutover.onAirTarget == nil
        let rest = combined(program, inserting).filter { slot in
            if slot.position > cutover.afterPosition { return true }
            guard slot.position == cutover.afterPosition, let target = slot.insertedFor else { return false }
            // A bulletin placed after the item on air has not played; one on air (and those
            // placed before it) has.
            defer { if target == cutover.onAirTarget { seenOnAir = true } }
            return seenOnAir
        }
        return layout(rest, program, bulletins: bulletins, startMs: cutover.resumeAtMs)
    }

    /// The cutover an edit of `old` at `now` makes: nil unless one of its occurrences is on
    /// air, else that occurrence's day, the item on air (by the program's own clock: an
    /// occurrence delayed on a gateway by something above it is not seen) and when it ends.
    /// `insertions` are the program's placed bulletins (yesterday's on, for an occurrence that
    /// runs past midnight).
    public static func cutover(editing old: Program, bulletins: [String: Bulletin], insertions: [ProgramInsertion], now: Date,
                               timeZone: String) -> ProgramCutover? {
        guard let block = block(old, bulletins: bulletins),
              let starts = try? GatewaySchedule(version: 0, timeZone: timeZone, entries: [block])
                  .occurrences(in: DateInterval(start: now.addingTimeInterval(-2 * 86_400), end: now.addingTimeInterval(1))) else { return nil }
        for start in starts.map(\.start).filter({ $0 <= now }).sorted(by: >) {
            guard let day = LocalDate.today(in: timeZone, now: start) else { continue }
            let slots = daySlots(old, bulletins: bulletins, inserting: insertions.filter { $0.placement.date == day && $0.placement.programID == old.id }, day: day)
            let elapsed = Int64((now.timeIntervalSince(start) * 1000).rounded(.down))
            guard let onAir = slots.first(where: { $0.plays && $0.durationMs > 0 && $0.offsetMs <= elapsed && elapsed < $0.endMs }) else { continue }
            return ProgramCutover(date: day, afterPosition: onAir.position, resumeAtMs: onAir.endMs, onAirTarget: onAir.insertedFor)
        }
        return nil
    }

    private static func layout(_ unplaced: [Slot], _ program: Program, bulletins: [String: Bulletin], startMs: Int64 = 0) -> [Slot] {
        var slots: [Slot] = []
        var offset: Int64 = startMs
        let planned = program.plannedSeconds.map { Int64($0) * 1000 }
        for var slot in unplaced {
            slot.offsetMs = offset
            let item = slot.item
            switch item {
            case .pause(let seconds):
                slot.durationMs = Int64(seconds) * 1000
            case .relay(let relay):
                slot.durationMs = Int64(relay.seconds) * 1000
            case .bulletin(let sha256), .jingle(let sha256):
                if let bulletin = bulletins[sha256], bulletin.state == .approved {
                    slot.durationMs = Int64(bulletin.durationMs)
                } else {
                    slot.plays = false
                    slot.reason = bulletins[sha256].map { "bulletin \(sha256.prefix(8))… is \($0.state.rawValue)" }
                        ?? "bulletin \(sha256.prefix(8))… does not exist"
                }
            }
            if slot.plays, program.overrun == .finishItem, let planned, offset >= planned {
                slot.plays = false
                slot.reason = "starts after the planned length (finish-item)"
            }
            if slot.plays { offset += slot.durationMs } else { slot.durationMs = 0 }
            slots.append(slot)
        }
        return slots
    }

    /// How long the program sounds (pauses included; a trailing pause counts too), ms.
    public static func lengthMs(_ slots: [Slot]) -> Int64 { slots.filter(\.plays).map(\.endMs).max() ?? 0 }

    /// The entries a gateway gets: one per bulletin or jingle that plays. An occurrence with
    /// bulletins sent down placed into it (`insertions`) plays in its own shape that day: the
    /// recurring entries skip the day (`exceptDates`) and `once` entries of that day carry the
    /// combined list — the program's items as `program-<id>.<position>:<YYYYMMDD>`, the placed
    /// bulletins as `dispatch-<target id>`.
    public static func entries(_ program: Program, bulletins: [String: Bulletin],
                               insertions: [ProgramInsertion] = []) -> [LoaSchedule.ScheduleEntry] {
        placed(program, bulletins: bulletins, insertions: insertions).compactMap { place in
            entry(place.slot, program, bulletins, id: place.id, recurrence: place.recurrence, time: program.timeOfDay.localTime,
                  except: place.except, programMs: place.programMs, bounded: place.bounded)
        }
    }

    /// The relay windows a gateway gets: one per relay item that plays, with the same ids,
    /// days and shapes as `entries` (a relay is a window, not a bulletin: the controller opens
    /// it, `RelayScheduler`), its fallback when that bulletin is approved.
    public static func relays(_ program: Program, bulletins: [String: Bulletin],
                              insertions: [ProgramInsertion] = []) -> [RelayEntry] {
        relayWindows(program, bulletins: bulletins, insertions: insertions).map(\.entry)
    }

    /// `relays`, each with the relay item it comes from (the controller opens its URL) and
    /// that item's `program-<id>.<position>`.
    static func relayWindows(_ program: Program, bulletins: [String: Bulletin],
                             insertions: [ProgramInsertion]) -> [(entry: RelayEntry, relay: ProgramRelay, item: String)] {
        placed(program, bulletins: bulletins, insertions: insertions).compactMap { place in
            guard place.slot.plays, case .relay(let relay) = place.slot.item else { return nil }
            let fallback = relay.fallbackSHA256.flatMap { bulletins[$0] }.flatMap { bulletin in
                bulletin.state == .approved ? Content(sha256: bulletin.sha256, durationMs: Int64(bulletin.durationMs), title: bulletin.title) : nil
            }
            let entry = RelayEntry(id: place.id, title: relay.title, recurrence: place.recurrence, time: program.timeOfDay.localTime,
                                   validFrom: place.bounded ? program.validFrom : nil, validTo: place.bounded ? program.validTo : nil,
                                   durationMs: place.slot.durationMs, priority: Priority(rawValue: program.priority), fallback: fallback,
                                   offsetMs: place.slot.offsetMs, exceptDates: place.except)
            return (entry, relay, entryID(program: program.id, position: place.slot.position))
        }
    }

    /// Every item of the program as it goes to a gateway: the recurring shape, then each day's
    /// own shape where bulletins sent down were placed.
    private struct Placed {
        var slot: Slot
        var id: String
        var recurrence: Recurrence
        var except: [LocalDate]
        var programMs: Int64
        var bounded: Bool
    }

    private static func placed(_ program: Program, bulletins: [String: Bulletin], insertions: [ProgramInsertion]) -> [Placed] {
        let mine = insertions.filter { $0.placement.programID == program.id }
        let days = Set(mine.map(\.placement.date) + [program.cutover?.date].compactMap { $0 }).sorted()
        let slots = layout(program, bulletins: bulletins)
        let length = lengthMs(slots)
        var placed = slots.map { slot in
            Placed(slot: slot, id: entryID(program: program.id, position: slot.position),
                   recurrence: program.recurrence.document(once: program.validFrom), except: days, programMs: length, bounded: true)
        }
        for day in days {
            let slots = daySlots(program, bulletins: bulletins, inserting: mine.filter { $0.placement.date == day }, day: day)
            placed += slots.map { slot in
                let id = slot.insertedFor.map { "dispatch-\($0)" }
                    ?? entryID(program: program.id, position: slot.position) + ":" + day.description.replacingOccurrences(of: "-", with: "")
                return Placed(slot: slot, id: id, recurrence: .once(day), except: [], programMs: length, bounded: false)
            }
        }
        return placed
    }

    /// How late a program's item may still start: the program's length and half an hour more,
    /// so that after an emergency (or anything preempting it) the program goes on to its end.
    public static let lateSlackMs: Int64 = 30 * 60 * 1000

    private static func entry(_ slot: Slot, _ program: Program, _ bulletins: [String: Bulletin], id: String, recurrence: Recurrence,
                              time: LocalTime, except: [LocalDate], programMs length: Int64, bounded: Bool = true) -> LoaSchedule.ScheduleEntry? {
        guard slot.plays, let sha256 = slot.item.sha256, let bulletin = bulletins[sha256] else { return nil }
        return LoaSchedule.ScheduleEntry(
            id: id, content: Content(sha256: bulletin.sha256, durationMs: Int64(bulletin.durationMs), title: bulletin.title),
            recurrence: recurrence, time: time, validFrom: bounded ? program.validFrom : nil, validTo: bounded ? program.validTo : nil,
            priority: Priority(rawValue: program.priority), onBusy: program.onBusy, onInterrupt: program.onInterrupt,
            offsetMs: slot.offsetMs, exceptDates: except, lateToleranceMs: max(length, slot.durationMs) + lateSlackMs)
    }

    /// One entry spanning each whole occurrence of the program (its time, recurrence and
    /// priority; its length), for finding what it meets; nil when nothing in it plays.
    public static func block(_ program: Program, bulletins: [String: Bulletin]) -> LoaSchedule.ScheduleEntry? {
        let slots = layout(program, bulletins: bulletins)
        let length = lengthMs(slots)
        guard length > 0, slots.contains(where: { $0.plays && $0.item.sounds }) else { return nil }
        return LoaSchedule.ScheduleEntry(
            id: "program-\(program.id)", content: Content(sha256: String(repeating: "0", count: 64), durationMs: length, title: program.name),
            recurrence: program.recurrence.document(once: program.validFrom), time: program.timeOfDay.localTime,
            validFrom: program.validFrom, validTo: program.validTo, priority: Priority(rawValue: program.priority),
            onBusy: program.onBusy, onInterrupt: program.onInterrupt)
    }

    /// The dispatch target a placed bulletin's as-played item id (`dispatch-45@1767225600#0`)
    /// refers to; nil for any other item.
    public static func dispatchTarget(fromItemID itemID: String) -> Int64? {
        guard itemID.hasPrefix("dispatch-") else { return nil }
        return Int64(itemID.dropFirst(9).prefix { $0 != "@" })
    }

    /// `program-<id>.<position>`: the document entry id of one item; occurrence ids start with it.
    public static func entryID(program id: Int64, position: Int) -> String { "program-\(id).\(position)" }

    /// The program and the 1-based position an as-played item id (`program-12.3@1767225600#0`)
    /// refers to; nil for any other item.
    public static func place(fromItemID itemID: String) -> (program: Int64, position: Int)? {
        guard itemID.hasPrefix("program-") else { return nil }
        let body = itemID.dropFirst(8).prefix { $0 != "@" && $0 != ":" }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let program = Int64(parts[0]), let position = Int(parts[1]), program > 0, position > 0 else { return nil }
        return (program, position)
    }
}
