import Foundation
import Hummingbird
import LoaSchedule

/// Programs (chương trình phát thanh): an area's block of items at set hours, played back to
/// back by every gateway below the area. Seen by anyone whose scope touches the area; changed
/// by a caller who may schedule there. A save is refused, naming what is wrong and saving
/// nothing, when an item's bulletin is not approved, when the program would never play, or
/// when it meets another program or a scheduled bulletin on the same gateways at the same
/// priority.
extension APIHandlers {
    func listPrograms(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let filter = try await areaFilter(request, caller)
        var related: Set<String>?
        if let filter { related = Set(try await store.subtree(of: filter).map(\.id) + store.ancestors(of: filter).map(\.id)) }
        var shown: [APIProgram] = []
        for program in try await store.allPrograms() where try await seesProgram(program, caller) {
            if let related, !related.contains(program.areaID) { continue }
            shown.append(try await apiProgram(program))
        }
        return try APIResponse.json(try page(request).apply(shown))
    }

    func getProgram(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let program = try await program(context)
        guard try await seesProgram(program, caller) else {
            throw APIError.forbidden("program \(program.id) plays outside your area; ask a user responsible for it")
        }
        return try APIResponse.json(try await apiProgram(program))
    }

    func createProgram(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.schedule))
        var program = try await APIJSON.decode(ProgramInput.self, from: request).program(relayHosts: services.live.settings.relayHosts)
        let area = try await store.area(program.areaID)
        try APIError.check(caller.decide(.schedule, areas: [area.id]))
        try await checkProgram(program, replacing: nil)
        program.createdBy = caller.user.username
        let stored = try await store.createProgram(program, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: try await store.gatewaysAffected(byChangeToArea: stored.areaID))
        return try APIResponse.json(try await apiProgram(stored), status: .created)
    }

    /// Replaces the program as a whole. Gateways get the new schedule at once; an item on air
    /// plays on, and the new order takes effect from the next item.
    func updateProgram(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.schedule))
        let old = try await program(context)
        try APIError.check(caller.decide(.schedule, areas: [old.areaID]))
        var program = try await APIJSON.decode(ProgramInput.self, from: request).program(relayHosts: services.live.settings.relayHosts)
        try APIError.check(caller.decide(.schedule, areas: [try await store.area(program.areaID).id]))
        program.id = old.id
        try await checkProgram(program, replacing: old.id)
        // Edited while on air: that occurrence goes on from the next item (ProgramCutover).
        let zone = services.settings.timeZone
        let material = try await ProgramMaterial.read(from: store, for: [old], timeZone: zone, now: services.now(), skippingMissing: true)
        program.cutover = ProgramCompiler.cutover(editing: old, bulletins: material.bulletins, insertions: material.insertions,
                                                  now: services.now(), timeZone: zone)
        let stored = try await store.updateProgram(old.id, program, origin: try context.origin())
        var reached = try await store.gatewaysAffected(byChangeToArea: old.areaID)
        if stored.areaID != old.areaID { reached += try await store.gatewaysAffected(byChangeToArea: stored.areaID) }
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return try APIResponse.json(try await apiProgram(stored))
    }

    func deleteProgram(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.schedule))
        let program = try await program(context)
        try APIError.check(caller.decide(.schedule, areas: [program.areaID]))
        let reached = try await store.gatewaysAffected(byChangeToArea: program.areaID)
        try await store.deleteProgram(program.id, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return APIResponse.noContent()
    }

    // MARK: Checks

    /// Approved bulletins only (the store checks again in its transaction), at least one
    /// occurrence still to come, and no clash at equal priority on shared gateways.
    private func checkProgram(_ program: Program, replacing id: Int64?) async throws {
        let bulletins = try await programBulletins([program])
        for (index, item) in program.items.enumerated() {
            for sha256 in item.bulletinsNamed {
                guard let bulletin = bulletins[sha256] else {
                    throw APIError.validation("item \(index + 1): bulletin \(sha256.prefix(8))… does not exist (deleted, or never uploaded)")
                }
                guard bulletin.state == .approved else {
                    throw APIError.conflict("item \(index + 1): bulletin \(sha256.prefix(8))… ('\(bulletin.title)') is \(bulletin.state.rawValue); a program plays approved bulletins only",
                                            code: "not_approved")
                }
            }
        }
        guard let block = ProgramCompiler.block(program, bulletins: bulletins) else {
            throw APIError.validation("the program has nothing to play: add at least one bulletin, jingle or relay")
        }
        let now = services.now()
        let zone = services.settings.timeZone
        let window = DateInterval(start: now.addingTimeInterval(-TimeInterval(block.content.durationMs) / 1000), end: now.addingTimeInterval(400 * 86_400))
        guard let next = try? GatewaySchedule(version: 0, timeZone: zone, entries: [block]).occurrences(in: window),
              next.contains(where: { $0.end > now }) else {
            throw APIError.validation("this program would never play: its time has passed (check 'at', 'from' and 'until'; times are \(zone))")
        }
        let others = try await programNeighbours(of: program, excluding: id)
        if let clash = ProgramClash.first(block: block, others: others, timeZone: zone, now: now) {
            throw APIError.conflict("program '\(program.name)' clashes: \(clash)", code: "clash")
        }
    }

    /// What shares gateways with `program`'s area: programs of its area, of an area above or
    /// below it, and schedule entries aimed there (or at a gateway below it).
    private func programNeighbours(of program: Program, excluding id: Int64?) async throws -> [ProgramClash.Other] {
        let below = Set(try await store.subtree(of: program.areaID).map(\.id))
        let related = below.union(try await store.ancestors(of: program.areaID).map(\.id))
        let gatewayAreas = try await gatewayAreas()
        let programs = try await store.allPrograms().filter { $0.id != id && related.contains($0.areaID) }
        let entries = try await store.allScheduleEntries().filter { entry in
            !related.isDisjoint(with: entry.rule.target.areaIDs)
                || entry.rule.target.gatewayIDs.contains { gatewayAreas[$0].map(below.contains) ?? false }
        }
        var bulletins = try await programBulletins(programs)
        for sha256 in Set(entries.map(\.rule.bulletinSHA256)) where bulletins[sha256] == nil {
            bulletins[sha256] = try? await store.bulletin(sha256)
        }
        var others: [ProgramClash.Other] = []
        for other in programs {
            guard let block = ProgramCompiler.block(other, bulletins: bulletins) else { continue }
            others.append(.init(label: "program '\(other.name)' (\(other.id))", entries: [block]))
        }
        for entry in entries {
            guard let bulletin = bulletins[entry.rule.bulletinSHA256] else { continue }
            others.append(.init(label: "schedule entry \(entry.id) ('\(bulletin.title)')", entries: [ScheduleCompiler.compile(entry, bulletin: bulletin)]))
        }
        return others
    }

    /// The bulletins the programs play, by hash (one missing is left out: the checks name it).
    func programBulletins(_ programs: [Program]) async throws -> [String: Bulletin] {
        var bulletins: [String: Bulletin] = [:]
        for sha256 in Set(programs.flatMap(\.bulletinSHA256s)) {
            do {
                bulletins[sha256] = try await store.bulletin(sha256)
            } catch {
                if case .notFound = error { continue }  // named as missing by the checks
                throw error
            }
        }
        return bulletins
    }

    private func program(_ context: APIRequestContext) async throws -> Program {
        let text = try parameter("id", context)
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("program '\(text)' does not exist (ids are numbers)") }
        return try await store.program(id)
    }

    /// In scope, below it, or above it (a district's program plays in a commune of the caller's).
    private func seesProgram(_ program: Program, _ caller: Caller) async throws -> Bool {
        if caller.scope.canSee(program.areaID) { return true }
        return try await store.subtree(of: program.areaID).contains { caller.scope.canSee($0.id) }
    }

    private func apiProgram(_ program: Program) async throws -> APIProgram {
        let bulletins = try await programBulletins([program])
        let slots = ProgramCompiler.layout(program, bulletins: bulletins)
        var next: [Date] = []
        if let block = ProgramCompiler.block(program, bulletins: bulletins) {
            let now = services.now()
            let window = DateInterval(start: now.addingTimeInterval(-TimeInterval(block.content.durationMs) / 1000), end: now.addingTimeInterval(400 * 86_400))
            let plays = (try? GatewaySchedule(version: 0, timeZone: services.settings.timeZone, entries: [block]).occurrences(in: window)) ?? []
            next = plays.filter { $0.end > now }.prefix(5).map(\.start)
        }
        return APIProgram(program, slots: slots, bulletins: bulletins, next: next)
    }
}

/// `POST /api/v1/programs`, `PUT /api/v1/programs/{id}`.
struct ProgramInput: APIBody {
    static let notNullableFields: Set<String> = ["days", "priority", "onBusy", "onInterrupt", "overrun"]
    var areaId: String
    var name: String
    var recurrence: String
    var days: [Int]?
    var at: String
    var from: String
    var until: String?
    var plannedSeconds: Int?
    var overrun: String?
    var priority: Int?
    var onBusy: String?
    var onInterrupt: String?
    var items: [ProgramItemInput]

    func program(relayHosts: [String]) throws(APIError) -> Program {
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Program.nameLimit.contains(name.count) else { throw .validation("'name' must be 1 to 200 characters") }
        let time = try ScheduleInput.timeOfDay(at)
        let start = try ScheduleInput.date(from, field: "from")
        let end = try until.map { (text) throws(APIError) in try ScheduleInput.date(text, field: "until") }
        if let end, end < start { throw .validation("'until' (\(end)) is before 'from' (\(start)); the program would never play") }
        let recurrence = try ScheduleInput.recurrence(self.recurrence, days: days, start: start, end: end)
        if let plannedSeconds, !Program.plannedLimit.contains(plannedSeconds) {
            throw .validation("'plannedSeconds' must be \(Program.plannedLimit.lowerBound)–\(Program.plannedLimit.upperBound) (6 hours), or left out")
        }
        guard let overrun = Program.Overrun(rawValue: self.overrun ?? Program.Overrun.finishItem.rawValue) else {
            throw .validation("'overrun' must be finish-item (the item on air at the planned end finishes, the rest is left out) or play-on")
        }
        let priority = self.priority ?? Int(Program.defaultPriority)
        guard (0...199).contains(priority) else {
            throw .validation("'priority' must be 0–199 (programs default to \(Program.defaultPriority), the scheduled band; emergencies are sent, not scheduled)")
        }
        let (onBusy, onInterrupt) = try ScheduleInput.policies(self.onBusy, self.onInterrupt)
        guard Program.itemLimit.contains(items.count) else {
            throw .validation("'items' must hold 1 to \(Program.itemLimit.upperBound) items")
        }
        var parsed: [Program.Item] = []
        for (index, item) in items.enumerated() { parsed.append(try item.item(position: index + 1, relayHosts: relayHosts)) }
        guard parsed.contains(where: \.sounds) else {
            throw .validation("'items' has only pauses: add at least one bulletin, jingle or relay")
        }
        return Program(areaID: areaId, name: name, recurrence: recurrence, timeOfDay: time, validFrom: start, validTo: end,
                       plannedSeconds: plannedSeconds, overrun: overrun, priority: UInt8(priority), onBusy: onBusy,
                       onInterrupt: onInterrupt, items: parsed)
    }
}

/// One item of a program's input: `{"type":"bulletin","bulletin":"<sha256>"}`,
/// `{"type":"jingle","bulletin":"<sha256>"}`, `{"type":"pause","seconds":5}` or
/// `{"type":"relay","url":"http://…","title":"Thời sự VOV1","seconds":900,"fallbackBulletin":"<sha256>"}`
/// (the fallback optional).
struct ProgramItemInput: Codable, Sendable {
    var type: String
    var bulletin: String?
    var seconds: Int?
    var url: String?
    var title: String?
    var fallbackBulletin: String?

    func item(position: Int, relayHosts: [String]) throws(APIError) -> Program.Item {
        if type != "relay", url != nil || title != nil || fallbackBulletin != nil {
            throw .validation("item \(position): 'url', 'title' and 'fallbackBulletin' are only for a relay")
        }
        switch type {
        case "bulletin", "jingle":
            guard seconds == nil else { throw .validation("item \(position): 'seconds' is only for a pause or a relay") }
            guard let bulletin, Bulletin.isValidSHA256(bulletin) else {
                throw .validation("item \(position): 'bulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
            }
            return type == "jingle" ? .jingle(sha256: bulletin) : .bulletin(sha256: bulletin)
        case "pause":
            guard bulletin == nil else { throw .validation("item \(position): a pause plays no bulletin; leave 'bulletin' out") }
            guard let seconds, Program.Item.pauseLimit.contains(seconds) else {
                throw .validation("item \(position): a pause needs 'seconds', 1 to \(Program.Item.pauseLimit.upperBound)")
            }
            return .pause(seconds: seconds)
        case "relay":
            guard bulletin == nil else {
                throw .validation("item \(position): a relay plays no bulletin of its own; a stand-in goes in 'fallbackBulletin'")
            }
            guard let url else { throw .validation("item \(position): a relay needs 'url', the upstream radio to relay") }
            let checked = try APIHandlers.relayURL(url, allowedHosts: relayHosts, field: "item \(position): 'url'")
            let title = (self.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(title.count) else { throw .validation("item \(position): a relay needs a 'title' of 1 to 200 characters") }
            guard let seconds, ProgramRelay.secondsLimit.contains(seconds) else {
                throw .validation("item \(position): a relay needs 'seconds', \(ProgramRelay.secondsLimit.lowerBound) to \(ProgramRelay.secondsLimit.upperBound) (6 hours)")
            }
            if let fallbackBulletin, !Bulletin.isValidSHA256(fallbackBulletin) {
                throw .validation("item \(position): 'fallbackBulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
            }
            return .relay(ProgramRelay(url: checked, title: title, seconds: seconds, fallbackSHA256: fallbackBulletin))
        default:
            throw .validation("item \(position): 'type' must be bulletin, jingle, pause or relay, not '\(type)'")
        }
    }
}

/// A program as the API shows it: its items placed on its time line.
struct APIProgram: Codable, Sendable, APIRecurring {
    struct Item: Codable, Sendable {
        var position: Int
        var type: String
        @Nullable var bulletin: String?
        @Nullable var title: String?
        @Nullable var seconds: Int?
        /// A relay's upstream and its stand-in bulletin; null for other items.
        @Nullable var url: String?
        @Nullable var fallbackBulletin: String?
        /// From the program's start, and how long it sounds (0 when left out).
        var offsetMs: Int64
        var durationMs: Int64
        var plays: Bool
        /// Why it is left out (a bulletin archived since, or after the planned length).
        @Nullable var note: String?
    }

    var id: Int64
    var areaId: String
    var name: String
    var recurrence: String
    var days: [Int]
    var at: String
    var from: String
    @Nullable var until: String?
    @Nullable var plannedSeconds: Int?
    var overrun: String
    var priority: Int
    var onBusy: String
    var onInterrupt: String
    var items: [Item]
    /// What it sounds, pauses included, against `plannedSeconds`.
    var lengthMs: Int64
    var createdBy: String
    @Nullable var updatedAt: String?
    /// The next starts (up to five, the one on air now first).
    var nextOccurrences: [String]
    /// Set when it was last edited while on air: that day's occurrence went on after the item
    /// then on air (`afterPosition`, in the list as it was) with the new list, from `resumeAtMs`.
    @Nullable var cutover: Cutover?

    struct Cutover: Codable, Sendable {
        var date: String
        var afterPosition: Int
        var resumeAtMs: Int64
    }

    init(_ program: Program, slots: [ProgramCompiler.Slot], bulletins: [String: Bulletin], next: [Date]) {
        id = program.id
        areaId = program.areaID
        name = program.name
        (recurrence, days, at) = Self.when(program.recurrence, program.timeOfDay)
        from = program.validFrom.description
        until = program.validTo?.description
        plannedSeconds = program.plannedSeconds
        overrun = program.overrun.rawValue
        priority = Int(program.priority)
        onBusy = program.onBusy.rawValue
        onInterrupt = program.onInterrupt.rawValue
        items = slots.map { slot in
            var seconds: Int?
            var relay: ProgramRelay?
            switch slot.item {
            case .pause(let s): seconds = s
            case .relay(let r): (seconds, relay) = (r.seconds, r)
            case .bulletin, .jingle: break
            }
            return Item(position: slot.position, type: slot.item.kind, bulletin: slot.item.sha256,
                         title: relay?.title ?? slot.item.sha256.flatMap { bulletins[$0]?.title }, seconds: seconds,
                         url: relay?.url, fallbackBulletin: relay?.fallbackSHA256, offsetMs: slot.offsetMs,
                         durationMs: slot.durationMs, plays: slot.plays, note: slot.reason)
        }
        lengthMs = ProgramCompiler.lengthMs(slots)
        createdBy = program.createdBy
        updatedAt = APIJSON.time(program.updatedAt)
        nextOccurrences = next.map { APIJSON.time($0) }
        cutover = program.cutover.map { Cutover(date: $0.date.description, afterPosition: $0.afterPosition, resumeAtMs: $0.resumeAtMs) }
    }
}
