import Foundation
import LoaSchedule
import Testing
@testable import LoaController

/// A program laid out on its time line and compiled into a gateway's schedule: one entry per
/// item, offset by what comes before it, back to back; the overrun rule; the store's checks.
@Suite struct ProgramCompilerTests {
    static let start = LocalDate(year: 2026, month: 12, day: 1)

    static func bulletin(_ n: Int, ms: Int, state: BulletinState = .approved) -> Bulletin {
        Bulletin(sha256: StoreFixture.hash(n), title: "Bản tin \(n)", durationMs: ms, loudnessLUFS: -16, byteSize: 1000, state: state,
                 createdBy: "bt", createdAt: Date(timeIntervalSince1970: 0))
    }

    static func program(_ items: [Program.Item], planned: Int? = nil, overrun: Program.Overrun = .finishItem, id: Int64 = 7,
                        at: TimeOfDay = TimeOfDay(hour: 5, minute: 30)) -> Program {
        Program(id: id, areaID: "xa-tan-lap", name: "Chương trình sáng", recurrence: .daily, timeOfDay: at, validFrom: start,
                plannedSeconds: planned, overrun: overrun, items: items)
    }

    static let jingle = bulletin(1, ms: 8_250)
    static let news = bulletin(2, ms: 95_500)
    static let notice = bulletin(3, ms: 60_000)
    static var all: [String: Bulletin] { Dictionary(uniqueKeysWithValues: [jingle, news, notice].map { ($0.sha256, $0) }) }

    @Test func itemsAreLaidBackToBackPausesIncluded() {
        let program = Self.program([.jingle(sha256: Self.jingle.sha256), .bulletin(sha256: Self.news.sha256), .pause(seconds: 5),
                                    .bulletin(sha256: Self.notice.sha256), .jingle(sha256: Self.jingle.sha256)])
        let slots = ProgramCompiler.layout(program, bulletins: Self.all)
        #expect(slots.map(\.offsetMs) == [0, 8_250, 103_750, 108_750, 168_750])
        #expect(slots.map(\.durationMs) == [8_250, 95_500, 5_000, 60_000, 8_250])
        #expect(slots.allSatisfy { $0.plays })
        #expect(ProgramCompiler.lengthMs(slots) == 177_000)

        let entries = ProgramCompiler.entries(program, bulletins: Self.all)
        #expect(entries.map(\.id) == ["program-7.1", "program-7.2", "program-7.4", "program-7.5"], "a pause is no entry; positions keep their places")
        #expect(entries.map(\.offsetMs) == [0, 8_250, 108_750, 168_750])
        #expect(entries.allSatisfy { $0.time == LocalTime(hour: 5, minute: 30) && $0.recurrence == .daily && $0.priority == .scheduled })

        // Expanded, each play starts where the one before it ends (the pause aside).
        let schedule = GatewaySchedule(version: 1, timeZone: "Asia/Ho_Chi_Minh", entries: entries)
        #expect(schedule.validate().isEmpty)
        let day = DateInterval(start: Date(timeIntervalSince1970: 1_796_400_000), duration: 86_400)
        let plays = try! schedule.occurrences(in: day)
        #expect(plays.count == 4)
        #expect(plays[1].start == plays[0].end)
        #expect(plays[2].start == plays[1].end.addingTimeInterval(5))
        #expect(plays[3].start == plays[2].end)
        #expect(plays.map(\.id).allSatisfy { ProgramCompiler.place(fromItemID: $0)?.program == 7 })
        #expect(plays.map { ProgramCompiler.place(fromItemID: $0.id)!.position } == [1, 2, 4, 5])
    }

    /// A relay item takes its time on the line like a pause, goes to the gateway as a relay
    /// window (not an entry) after the items before it, and the items after it wait for its end.
    @Test func aRelayItemIsAWindowBetweenItsNeighbours() throws {
        let vov = ProgramRelay(url: "http://radio.example/vov1.mp3", title: "Thời sự VOV1", seconds: 900, fallbackSHA256: Self.notice.sha256)
        let program = Self.program([.jingle(sha256: Self.jingle.sha256), .relay(vov), .bulletin(sha256: Self.news.sha256)])
        let slots = ProgramCompiler.layout(program, bulletins: Self.all)
        #expect(slots.map(\.offsetMs) == [0, 8_250, 908_250])
        #expect(ProgramCompiler.lengthMs(slots) == 1_003_750)
        #expect(ProgramCompiler.entries(program, bulletins: Self.all).map(\.id) == ["program-7.1", "program-7.3"])
        let relays = ProgramCompiler.relays(program, bulletins: Self.all)
        #expect(relays.map(\.id) == ["program-7.2"])
        #expect(relays.first?.offsetMs == 8_250 && relays.first?.durationMs == 900_000 && relays.first?.title == "Thời sự VOV1")
        #expect(relays.first?.fallback?.sha256 == Self.notice.sha256)
        var archived = Self.all
        archived[Self.notice.sha256]?.state = .archived
        #expect(ProgramCompiler.relays(program, bulletins: archived).first?.fallback == nil, "only an approved bulletin stands in")

        // On the gateway: the window opens when the jingle ends, the news when the window closes.
        let schedule = GatewaySchedule(version: 1, timeZone: "Asia/Ho_Chi_Minh", entries: ProgramCompiler.entries(program, bulletins: Self.all),
                                       relays: relays)
        #expect(schedule.validate().isEmpty)
        let day = DateInterval(start: Date(timeIntervalSince1970: 1_796_400_000), duration: 86_400)
        let plays = try schedule.occurrences(in: day)
        let windows = try schedule.relayWindows(in: day)
        #expect(windows.count == 1 && windows[0].start == plays[0].end && windows[0].end == plays[1].start)
        #expect(windows.first.flatMap { ProgramCompiler.place(fromItemID: $0.id) }.map { [$0.program, Int64($0.position)] } == [7, 2])
        // The document's JSON keeps the offset; a relay without one keeps its old bytes.
        let json = String(decoding: try JSONEncoder().encode(relays[0]), as: UTF8.self)
        #expect(json.contains("\"offsetMs\":8250") && !json.contains("exceptDates"))
        let plain = RelayEntry(id: "relay-1", title: "x", recurrence: .daily, time: LocalTime(hour: 6, minute: 0), durationMs: 60_000)
        #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("offsetMs"))

        // A bulletin placed into one occurrence before the relay moves that day's window.
        let sent = Self.bulletin(9, ms: 30_000)
        var bulletins = Self.all
        bulletins[sent.sha256] = sent
        let dayOf = LocalDate(year: 2026, month: 12, day: 8)
        let placed = [ProgramInsertion(targetID: 45, sha256: sent.sha256, placement: .init(programID: 7, date: dayOf, position: 2))]
        let shaped = ProgramCompiler.relays(program, bulletins: bulletins, insertions: placed)
        #expect(shaped.map(\.id) == ["program-7.2", "program-7.2:20261208"])
        #expect(shaped[0].exceptDates == [dayOf] && shaped[1].recurrence == .once(dayOf) && shaped[1].offsetMs == 38_250)
    }

    /// Edited while on air: the item on air finishes, what had played is not played again, and
    /// the new list goes on from the next position when it ends; the other days play the new
    /// program whole.
    @Test func anEditWhileOnAirTakesEffectFromTheNextItem() throws {
        let zone = "Asia/Ho_Chi_Minh"
        let old = Self.program([.jingle(sha256: Self.jingle.sha256), .bulletin(sha256: Self.news.sha256),
                                .bulletin(sha256: Self.notice.sha256)])  // 05:30:00 jingle 8.25 s, news to 1:43.75, notice to 2:43.75
        let day = LocalDate(year: 2026, month: 12, day: 5)
        let start = Date(timeIntervalSince1970: 1_796_423_400)  // 2026-12-05 05:30:00 in Hanoi
        #expect(ProgramCompiler.cutover(editing: old, bulletins: Self.all, insertions: [], now: start.addingTimeInterval(-1), timeZone: zone) == nil,
                "not on air yet")
        #expect(ProgramCompiler.cutover(editing: old, bulletins: Self.all, insertions: [], now: start.addingTimeInterval(170), timeZone: zone) == nil,
                "over")
        let cut = try #require(ProgramCompiler.cutover(editing: old, bulletins: Self.all, insertions: [], now: start.addingTimeInterval(60),
                                                       timeZone: zone))
        #expect(cut == ProgramCutover(date: day, afterPosition: 2, resumeAtMs: 103_750), "the news is on air")

        // The new list: the notice dropped, a pause and the jingle again at the end.
        var new = Self.program([.jingle(sha256: Self.jingle.sha256), .bulletin(sha256: Self.news.sha256), .pause(seconds: 2),
                                .jingle(sha256: Self.jingle.sha256)])
        new.cutover = cut
        let today = ProgramCompiler.daySlots(new, bulletins: Self.all, inserting: [], day: day)
        #expect(today.map(\.position) == [3, 4] && today.map(\.offsetMs) == [103_750, 105_750])
        let entries = ProgramCompiler.entries(new, bulletins: Self.all)
        #expect(entries.map(\.id) == ["program-7.1", "program-7.2", "program-7.4", "program-7.4:20261205"])
        #expect(entries.prefix(3).allSatisfy { $0.exceptDates == [day] } && entries[3].offsetMs == 105_750 && entries[3].recurrence == .once(day))
        let schedule = GatewaySchedule(version: 1, timeZone: zone, entries: entries)
        let fifth = try schedule.occurrences(in: DateInterval(start: start.addingTimeInterval(-3600), duration: 7200))
        #expect(fifth.map(\.entryId) == ["program-7.4:20261205"], "the jingle and the news are not played again")
        let sixth = try schedule.occurrences(in: DateInterval(start: start.addingTimeInterval(86_400 - 3600), duration: 7200))
        #expect(sixth.map(\.entryId) == ["program-7.1", "program-7.2", "program-7.4"])

        // A bulletin sent down on air at the edit: it and the ones before it are done, those after it still play.
        let sent = Self.bulletin(9, ms: 30_000)
        var bulletins = Self.all
        bulletins[sent.sha256] = sent
        let placed = [ProgramInsertion(targetID: 60, sha256: sent.sha256, placement: .init(programID: 7, date: day, position: 2)),
                      ProgramInsertion(targetID: 61, sha256: sent.sha256, placement: .init(programID: 7, date: day, position: 3))]
        // 05:30 jingle (8.25 s), 60 at 8.25–38.25 s, 61 at 38.25–68.25 s, then the news.
        let onPlaced = try #require(ProgramCompiler.cutover(editing: old, bulletins: bulletins, insertions: placed,
                                                            now: start.addingTimeInterval(20), timeZone: zone))
        #expect(onPlaced == ProgramCutover(date: day, afterPosition: 1, resumeAtMs: 38_250, onAirTarget: 60))
        new.cutover = onPlaced
        let rest = ProgramCompiler.daySlots(new, bulletins: bulletins, inserting: placed, day: day)
        #expect(rest.map(\.insertedFor) == [61, nil, nil, nil] && rest.map(\.position) == [1, 2, 3, 4] && rest.first?.offsetMs == 38_250)
    }

    @Test func finishItemCutsWhatStartsAfterThePlannedLengthPlayOnDoesNot() {
        let items: [Program.Item] = [.bulletin(sha256: Self.news.sha256), .bulletin(sha256: Self.notice.sha256),
                                     .jingle(sha256: Self.jingle.sha256)]
        // 100 s planned: the news (0–95.5 s) and the notice (95.5–155.5 s, on air at 100 s) play; the jingle does not.
        let cut = ProgramCompiler.layout(Self.program(items, planned: 100), bulletins: Self.all)
        #expect(cut.map(\.plays) == [true, true, false])
        #expect(cut[2].reason?.contains("planned length") == true)
        #expect(ProgramCompiler.lengthMs(cut) == 155_500)
        let on = ProgramCompiler.layout(Self.program(items, planned: 100, overrun: .playOn), bulletins: Self.all)
        #expect(on.map(\.plays) == [true, true, true])
        #expect(ProgramCompiler.lengthMs(on) == 163_750)
    }

    @Test func aBulletinNoLongerApprovedIsLeftOutAndTheRestCloseUp() {
        var bulletins = Self.all
        bulletins[Self.news.sha256]?.state = .archived
        let program = Self.program([.jingle(sha256: Self.jingle.sha256), .bulletin(sha256: Self.news.sha256),
                                    .bulletin(sha256: Self.notice.sha256)])
        let slots = ProgramCompiler.layout(program, bulletins: bulletins)
        #expect(slots.map(\.plays) == [true, false, true])
        #expect(slots[1].reason == "bulletin \(Self.news.sha256.prefix(8))… is archived")
        #expect(slots[2].offsetMs == 8_250, "no dead air where the archived bulletin was")
        #expect(ProgramCompiler.entries(program, bulletins: bulletins).map(\.id) == ["program-7.1", "program-7.3"])
    }

    @Test func itemIDsNameProgramAndPlaceAndNothingElse() {
        #expect(ProgramCompiler.place(fromItemID: "program-12.3@1767225600#0")! == (12, 3))
        #expect(ProgramCompiler.place(fromItemID: "program-12.3")! == (12, 3))
        for other in ["rule-12@1767225600#0", "program-12@1", "program-x.3@1", "program-12.0@1", "program-.3@1", "program-1.2.3@1", "live-4"] {
            #expect(ProgramCompiler.place(fromItemID: other) == nil, "\(other)")
        }
    }

    @Test func aClashAtEqualPriorityIsNamedADifferentPriorityIsAChoice() {
        let zone = "Asia/Ho_Chi_Minh"
        let now = Date(timeIntervalSince1970: 1_796_400_000)  // 2026-12-04 23:00 in Hanoi
        let program = Self.program([.bulletin(sha256: Self.news.sha256), .bulletin(sha256: Self.notice.sha256)])  // 05:30:00–05:32:35.5
        let block = ProgramCompiler.block(program, bulletins: Self.all)!
        #expect(block.content.durationMs == 155_500)

        func entry(_ id: String, at: LocalTime, ms: Int64 = 60_000, priority: UInt8 = 60, recurrence: Recurrence = .daily) -> LoaSchedule.ScheduleEntry {
            LoaSchedule.ScheduleEntry(id: id, content: Content(sha256: Self.notice.sha256, durationMs: ms, title: "x"), recurrence: recurrence,
                                      time: at, priority: Priority(rawValue: priority))
        }
        let meets = ProgramClash.Other(label: "schedule entry 4 ('Thông báo')", entries: [entry("rule-4", at: LocalTime(hour: 5, minute: 32))])
        let found = ProgramClash.first(block: block, others: [meets], timeZone: zone, now: now)
        #expect(found?.other == "schedule entry 4 ('Thông báo')")
        #expect(found?.description.contains("2026-12-05") == true, "\(String(describing: found))")
        #expect(found?.description.contains("05:32:00–05:33:00") == true, "\(String(describing: found))")

        let before = ProgramClash.Other(label: "ends as it starts", entries: [entry("rule-5", at: LocalTime(hour: 5, minute: 29))])
        #expect(ProgramClash.first(block: block, others: [before], timeZone: zone, now: now) == nil, "05:29–05:30 only touches 05:30")
        let higher = ProgramClash.Other(label: "an announcement band entry", entries: [entry("rule-6", at: LocalTime(hour: 5, minute: 31), priority: 120)])
        #expect(ProgramClash.first(block: block, others: [higher], timeZone: zone, now: now) == nil)
        // A once entry on a day the daily program also plays, a fortnight ahead.
        let sunday = ProgramClash.Other(label: "Sunday", entries: [entry("rule-7", at: LocalTime(hour: 5, minute: 31), recurrence: .once(LocalDate(year: 2026, month: 12, day: 20)))])
        #expect(ProgramClash.first(block: block, others: [sunday], timeZone: zone, now: now)?.play.start
                == Date(timeIntervalSince1970: 1_797_719_460))
    }

    @Test func storedProgramsReachTheGatewaysBelowTheirAreaAndStayApproved() async throws {
        let fixture = try await StoreFixture.seeded()
        let jingle = try await fixture.approvedBulletin(1)
        let news = try await fixture.approvedBulletin(2)
        let draft = try await fixture.bulletin(3)
        let before = try await fixture.versions()
        var program = Self.program([.jingle(sha256: jingle.sha256), .bulletin(sha256: news.sha256), .jingle(sha256: jingle.sha256)])
        program.areaID = "cam-xuyen"
        let stored = try await fixture.store.createProgram(program, origin: fixture.admin)
        #expect(stored.items == program.items && stored.name == program.name && stored.overrun == .finishItem)
        let after = try await fixture.versions()
        #expect(after["xa-tan-lap-01"]! > before["xa-tan-lap-01"]! && after["xa-cam-binh-01"]! > before["xa-cam-binh-01"]!)
        #expect(after["xa-ky-phong-01"] == before["xa-ky-phong-01"], "another district's gateways are not touched")

        let schedule = try await GatewayScheduleSource(store: fixture.store).schedule(for: "xa-tan-lap-01")
        #expect(schedule.entries.map(\.id) == ["program-\(stored.id).1", "program-\(stored.id).2", "program-\(stored.id).3"])
        #expect(schedule.entries.map(\.offsetMs) == [0, 90_000, 180_000])
        #expect(schedule.validate().isEmpty)
        #expect(try await GatewayScheduleSource(store: fixture.store).schedule(for: "xa-ky-phong-01").entries.isEmpty)

        // Nothing half-saved: a draft item refuses the whole program, on create and on update.
        var withDraft = program
        withDraft.items.append(.bulletin(sha256: draft.sha256))
        await #expect(throws: StoreError.self) { _ = try await fixture.store.createProgram(withDraft, origin: fixture.admin) }
        await #expect(throws: StoreError.self) { _ = try await fixture.store.updateProgram(stored.id, withDraft, origin: fixture.admin) }
        #expect(try await fixture.store.allPrograms().map(\.items) == [program.items])

        // Archiving an item's bulletin changes the gateways' schedules: the rest close up.
        let versions = try await fixture.versions()
        _ = try await fixture.store.transitionBulletin(news.sha256, to: .archived, origin: fixture.admin)
        #expect(try await fixture.versions()["xa-tan-lap-01"]! > versions["xa-tan-lap-01"]!)
        let closed = try await GatewayScheduleSource(store: fixture.store).schedule(for: "xa-tan-lap-01")
        #expect(closed.entries.map(\.offsetMs) == [0, 90_000])
        #expect(try await fixture.store.programs(playing: jingle.sha256).map(\.id) == [stored.id])

        try await fixture.store.deleteProgram(stored.id, origin: fixture.admin)
        #expect(try await GatewayScheduleSource(store: fixture.store).schedule(for: "xa-tan-lap-01").entries.isEmpty)
        await #expect(throws: StoreError.notFound(kind: "program", id: "\(stored.id)")) { _ = try await fixture.store.program(stored.id) }
    }

    @Test func aBulletinPlacedIntoOneOccurrenceChangesThatDayOnly() throws {
        let sent = Self.bulletin(9, ms: 30_000)
        var bulletins = Self.all
        bulletins[sent.sha256] = sent
        let program = Self.program([.jingle(sha256: Self.jingle.sha256), .bulletin(sha256: Self.news.sha256)])
        let day = LocalDate(year: 2026, month: 12, day: 8)
        let insertions = [ProgramInsertion(targetID: 45, sha256: sent.sha256, placement: .init(programID: 7, date: day, position: 2)),
                          ProgramInsertion(targetID: 46, sha256: sent.sha256, placement: .init(programID: 8, date: day, position: 1))]
        let entries = ProgramCompiler.entries(program, bulletins: bulletins, insertions: insertions)
        #expect(entries.map(\.id) == ["program-7.1", "program-7.2", "program-7.1:20261208", "dispatch-45", "program-7.2:20261208"],
                "another program's placement is not this one's")
        #expect(entries.prefix(2).allSatisfy { $0.exceptDates == [day] && $0.recurrence == .daily })
        #expect(entries.suffix(3).allSatisfy { $0.recurrence == .once(day) && $0.exceptDates.isEmpty })
        #expect(entries.suffix(3).map(\.offsetMs) == [0, 8_250, 38_250])
        let schedule = GatewaySchedule(version: 1, timeZone: "Asia/Ho_Chi_Minh", entries: entries)
        #expect(schedule.validate().isEmpty)
        // 2026-12-07 plays the program as it is; 2026-12-08 with the bulletin between its items.
        let seventh = try schedule.occurrences(in: DateInterval(start: Date(timeIntervalSince1970: 1_796_576_400), duration: 86_400))
        #expect(seventh.map(\.entryId) == ["program-7.1", "program-7.2"])
        let eighth = try schedule.occurrences(in: DateInterval(start: Date(timeIntervalSince1970: 1_796_662_800), duration: 86_400))
        #expect(eighth.map(\.entryId) == ["program-7.1:20261208", "dispatch-45", "program-7.2:20261208"])
        #expect(eighth.map { ProgramCompiler.place(fromItemID: $0.id)?.position } == [1, nil, 2])

        // Two priority bulletins from above, both at the front of the 9th: the first sent plays first.
        let ninth = LocalDate(year: 2026, month: 12, day: 9)
        let front = [ProgramInsertion(targetID: 51, sha256: sent.sha256, placement: .init(programID: 7, date: ninth, position: 1)),
                     ProgramInsertion(targetID: 50, sha256: sent.sha256, placement: .init(programID: 7, date: ninth, position: 1))]
        #expect(ProgramCompiler.layout(program, bulletins: bulletins, inserting: front).map(\.insertedFor) == [50, 51, nil, nil])
        #expect(ProgramCompiler.dispatchTarget(fromItemID: eighth[1].id) == 45)
        // Round trip through the document's JSON keeps the exceptions.
        let decoded = try GatewaySchedule.decode(json: schedule.canonicalJSON())
        #expect(decoded.entries.map(\.exceptDates) == entries.map(\.exceptDates))
    }
}
