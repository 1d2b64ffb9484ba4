import Foundation
import LoaSchedule

/// Lays a `Program` out on its time line and turns it into the schedule entries a gateway
/// gets: one per item that sounds, all with the program's time and recurrence, each offset by
/// the items (and pauses) before it, so the gateway plays them back to back — offline too —
/// and its as-played log names the program and the place (`program-12.3@…#0`). Pure.
public enum ProgramCompiler {
    /// One item placed on the program's time line.
    public struct Slot: Sendable, Equatable {
        /// 1-based place in the program.
        public var position: Int
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
        var slots: [Slot] = []
        var offset: Int64 = 0
        let planned = program.plannedSeconds.map { Int64($0) * 1000 }
        for (index, item) in program.items.enumerated() {
            var slot = Slot(position: index + 1, item: item, offsetMs: offset, durationMs: 0, plays: true)
            switch item {
            case .pause(let seconds):
                slot.durationMs = Int64(seconds) * 1000
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

    /// The entries a gateway gets: one per bulletin or jingle that plays.
    public static func entries(_ program: Program, bulletins: [String: Bulletin]) -> [LoaSchedule.ScheduleEntry] {
        let recurrence = program.recurrence.document(once: program.validFrom)
        let time = program.timeOfDay.localTime
        return layout(program, bulletins: bulletins).compactMap { slot in
            guard slot.plays, let sha256 = slot.item.sha256, let bulletin = bulletins[sha256] else { return nil }
            return LoaSchedule.ScheduleEntry(
                id: entryID(program: program.id, position: slot.position),
                content: Content(sha256: bulletin.sha256, durationMs: Int64(bulletin.durationMs), title: bulletin.title),
                recurrence: recurrence, time: time, validFrom: program.validFrom, validTo: program.validTo,
                priority: Priority(rawValue: program.priority), onBusy: program.onBusy, onInterrupt: program.onInterrupt,
                offsetMs: slot.offsetMs)
        }
    }

    /// One entry spanning each whole occurrence of the program (its time, recurrence and
    /// priority; its length), for finding what it meets; nil when nothing in it plays.
    public static func block(_ program: Program, bulletins: [String: Bulletin]) -> LoaSchedule.ScheduleEntry? {
        let slots = layout(program, bulletins: bulletins)
        let length = lengthMs(slots)
        guard length > 0, var entry = entries(program, bulletins: bulletins).first else { return nil }
        entry.id = "program-\(program.id)"
        entry.offsetMs = 0
        entry.content.durationMs = length
        return entry
    }

    /// `program-<id>.<position>`: the document entry id of one item; occurrence ids start with it.
    public static func entryID(program id: Int64, position: Int) -> String { "program-\(id).\(position)" }

    /// The program and the 1-based position an as-played item id (`program-12.3@1767225600#0`)
    /// refers to; nil for any other item.
    public static func place(fromItemID itemID: String) -> (program: Int64, position: Int)? {
        guard itemID.hasPrefix("program-") else { return nil }
        let body = itemID.dropFirst(8).prefix { $0 != "@" }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let program = Int64(parts[0]), let position = Int(parts[1]), program > 0, position > 0 else { return nil }
        return (program, position)
    }
}
