import Foundation
import Hummingbird
import LoaSchedule
import Logging

/// Bulletins sent down by a level above, by Circular 39/2020's classes (docs/ARCHITECTURE.md,
/// "Bulletins sent down"): a sender who may announce in the target areas sends an approved
/// bulletin to them; each commune below gets a target. Normal: the commune's inbox, where its
/// broadcaster places it into an occurrence of one of its programs or declines it. Priority:
/// the front of each commune's next program occurrence (or the named program's), at once; with
/// no occurrence ahead it waits in the inbox and the sender sees why. Emergency: an
/// announcement in the emergency band on every gateway of the targets, repeated as asked.
extension APIHandlers {
    func createDispatch(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let input = try await APIJSON.decode(DispatchInput.self, from: request)
        let kind = try input.dispatchClass()
        guard let areas = input.areas, !areas.isEmpty else { throw APIError.validation("give the target areas in 'areas'") }
        try await checkTargets(BroadcastTarget(areaIDs: areas, gatewayIDs: []), caller, action: .announce)
        guard Bulletin.isValidSHA256(input.bulletin) else {
            throw APIError.validation("'bulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
        }
        let bulletin = try await usableBulletin(input.bulletin, caller)
        guard bulletin.state == .approved else {
            throw APIError.conflict("bulletin \(bulletin.sha256.prefix(8))… is \(bulletin.state.rawValue); only an approved bulletin is sent down",
                                    code: "not_approved")
        }
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Dispatch.noteLimit.contains(note?.count ?? 0) else { throw APIError.validation("'note' is at most 500 characters") }
        let repeatCount = input.repeat ?? 1
        guard Dispatch.repeatLimit.contains(repeatCount) else { throw APIError.validation("'repeat' must be 1 to 5") }
        guard kind == .emergency || input.repeat == nil else { throw APIError.validation("'repeat' is for an emergency only") }
        guard kind == .priority || input.program == nil else { throw APIError.validation("'program' is for a priority bulletin only") }
        var named: Program?
        if let id = input.program { named = try await store.program(id) }
        let dispatch = try await sendDown(
            Dispatch(bulletinSHA256: bulletin.sha256, dispatchClass: kind, sender: caller.user.username, senderAreaID: caller.user.areaID,
                     note: note?.isEmpty == true ? nil : note, programID: named?.id, repeatCount: repeatCount),
            bulletin: bulletin, areas: areas, named: named, origin: try context.origin(), logger: context.logger) { dispatch in
            try await store.createDispatch(dispatch, origin: try context.origin())
        }
        guard let dispatch else { throw APIError.internalError("the dispatch was not stored") }
        return try APIResponse.json(try await apiDispatch(dispatch), status: .created)
    }

    /// Sends `dispatch` (its targets still to be made) down to the communes below `areas`:
    /// one target per commune, by class (normal: the inbox; priority: the front of the next
    /// program occurrence, or waiting; emergency: announcements on every gateway). `save`
    /// stores it (the API's own path, or the link's with its receipt in the same transaction)
    /// and may answer nil when it was stored before: then nothing is sent again.
    /// `emergencyLead`: how long after now an emergency starts.
    func sendDown(_ dispatch: Dispatch, bulletin: Bulletin, areas: [String], named: Program?, origin: AuditOrigin, logger: Logger,
                  emergencyLead: TimeInterval = 0, save: (Dispatch) async throws -> Dispatch?) async throws -> Dispatch? {
        var communes: [String] = []
        for area in areas {
            for below in try await store.subtree(of: area) where below.kind == .commune && !communes.contains(below.id) { communes.append(below.id) }
        }
        guard !communes.isEmpty else { throw APIError.validation("no commune lies in \(areas): a bulletin is sent down to communes") }
        let kind = dispatch.dispatchClass
        let now = services.now()
        var targets: [Dispatch.Target] = []
        for commune in communes.sorted() {
            var target = Dispatch.Target(id: 0, dispatchID: 0, areaID: commune, state: .delivered, updatedAt: now)
            switch kind {
            case .normal:
                break
            case .emergency:
                target.state = .sent
            case .priority:
                if let next = try await nextOccurrence(in: commune, named: named, after: now) {
                    // At the front: before the program's items and anything placed earlier.
                    target.state = .placed
                    target.placement = Dispatch.Placement(programID: next.program.id, date: next.date, position: 1)
                } else {
                    target.state = .waiting
                    target.reason = named.map { "program \($0.id) ('\($0.name)') has no occurrence ahead in this commune" }
                        ?? "this commune has no program occurrence ahead: it waits in the commune's inbox"
                }
            }
            targets.append(target)
        }
        var unsaved = dispatch
        unsaved.targets = targets
        guard let saved = try await save(unsaved) else { return nil }
        if kind == .emergency { try await sendEmergency(saved, bulletin, areas: areas, lead: emergencyLead, origin: origin, logger: logger) }
        var reached: [String] = []
        for program in Set(saved.targets.compactMap { $0.placement?.programID }) {
            reached += try await store.gatewaysAffected(byChangeToArea: try await store.program(program).areaID)
        }
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return saved
    }

    func listDispatches(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        var shown: [APIDispatch] = []
        for dispatch in try await store.allDispatches() where dispatch.sender == caller.user.username
            || caller.scope.isEverything || dispatch.targets.contains(where: { caller.scope.canSee($0.areaID) }) {
            shown.append(try await apiDispatch(dispatch, plays: false))
        }
        return try APIResponse.json(try page(request).apply(shown))
    }

    /// The sender's view: per commune what became of it, and per gateway what played when.
    func getDispatch(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let text = try parameter("id", context)
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("dispatch '\(text)' does not exist (ids are numbers)") }
        let dispatch = try await store.dispatch(id)
        guard dispatch.sender == caller.user.username || caller.scope.isEverything
            || dispatch.targets.contains(where: { caller.scope.canSee($0.areaID) }) else {
            throw APIError.forbidden("dispatch \(id) went to communes outside your area")
        }
        return try APIResponse.json(try await apiDispatch(dispatch))
    }

    /// A commune's inbox: what was sent down to the communes the caller covers, newest first.
    func listInbox(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let filter = try await areaFilter(request, caller)
        var below: Set<String>?
        if let filter { below = Set(try await store.subtree(of: filter).map(\.id)) }
        var items: [APIInboxItem] = []
        for dispatch in try await store.allDispatches() {
            for target in dispatch.targets where caller.scope.covers(target.areaID) && (below?.contains(target.areaID) ?? true) {
                items.append(try await inboxItem(dispatch, target))
            }
        }
        return try APIResponse.json(try page(request).apply(items))
    }

    /// Opens an inbox item: a delivered one becomes seen.
    func getInboxItem(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var target = try await inboxTarget(context, caller, action: .read)
        if target.state == .delivered, caller.decide(.schedule, areas: [target.areaID]) == .allowed {
            target = try await store.updateDispatchTarget(target.id, from: .delivered, to: .seen, placement: nil, reason: nil,
                                                          origin: try context.origin())
        }
        return try APIResponse.json(try await inboxItem(try await store.dispatch(target.dispatchID), target))
    }

    /// Places a normal bulletin (or a priority one waiting, or moves a placed one) into an
    /// occurrence of a program that plays in its commune, at a position, before that occurrence starts.
    func placeInboxItem(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let target = try await inboxTarget(context, caller, action: .schedule)
        let input = try await APIJSON.decode(PlacementInput.self, from: request)
        let dispatch = try await store.dispatch(target.dispatchID)
        guard dispatch.dispatchClass != .emergency else { throw APIError.conflict("an emergency plays at once; it is not placed into a program") }
        guard [.delivered, .seen, .waiting, .placed].contains(target.state) else {
            throw APIError.conflict("this bulletin was \(target.state.rawValue); it can no longer be placed")
        }
        let program = try await store.program(input.program)
        guard try await store.ancestors(of: target.areaID).map(\.id).contains(program.areaID) || program.areaID == target.areaID else {
            throw APIError.validation("program \(program.id) ('\(program.name)') does not play in \(target.areaID); choose one of its own programs")
        }
        let now = services.now()
        if let old = target.placement, let start = occurrenceStart(try await store.program(old.programID), on: old.date), start <= now {
            throw APIError.conflict("the occurrence it is in started at \(APIJSON.time(start)); it can no longer be moved")
        }
        let date: LocalDate
        if let text = input.date {
            date = try ScheduleInput.date(text, field: "date")
        } else if let next = try await nextOccurrence(of: program, after: now) {
            date = next
        } else {
            throw APIError.validation("program \(program.id) ('\(program.name)') has no occurrence ahead")
        }
        guard let start = occurrenceStart(program, on: date) else {
            throw APIError.validation("program \(program.id) ('\(program.name)') does not play on \(date)")
        }
        guard start > now else { throw APIError.conflict("the occurrence of \(date) started at \(APIJSON.time(start)); choose a later one") }
        let others = try await store.insertions(program: program.id, from: date).filter { $0.placement.date == date && $0.targetID != target.id }
        let limit = program.items.count + others.count + 1
        guard (1...limit).contains(input.position) else {
            throw APIError.validation("'position' must be 1 to \(limit) in that occurrence (its items and what is placed into it)")
        }
        let placed = try await store.updateDispatchTarget(target.id, from: target.state, to: .placed,
                                                          placement: Dispatch.Placement(programID: program.id, date: date, position: input.position),
                                                          reason: nil, origin: try context.origin())
        var reached = try await store.gatewaysAffected(byChangeToArea: program.areaID)
        if let old = target.placement, old.programID != program.id {
            reached += try await store.gatewaysAffected(byChangeToArea: try await store.program(old.programID).areaID)
        }
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return try APIResponse.json(try await inboxItem(dispatch, placed))
    }

    func declineInboxItem(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let target = try await inboxTarget(context, caller, action: .schedule)
        let input = try await APIJSON.decode(DeclineInput.self, from: request)
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw APIError.validation("say why in 'reason' (1 to 500 characters)") }
        let dispatch = try await store.dispatch(target.dispatchID)
        guard dispatch.dispatchClass == .normal || target.state == .waiting else {
            throw APIError.conflict("a \(dispatch.dispatchClass.rawValue) bulletin from \(dispatch.sender) cannot be declined by the commune")
        }
        guard [.delivered, .seen, .waiting].contains(target.state) else {
            throw APIError.conflict("this bulletin was already \(target.state.rawValue)")
        }
        let declined = try await store.updateDispatchTarget(target.id, from: target.state, to: .declined, placement: nil, reason: reason,
                                                            origin: try context.origin())
        return try APIResponse.json(try await inboxItem(dispatch, declined))
    }

    // MARK: Helpers

    private func inboxTarget(_ context: APIRequestContext, _ caller: Caller, action: APIAction) async throws -> Dispatch.Target {
        let text = try parameter("id", context)
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("inbox item '\(text)' does not exist (ids are numbers)") }
        let target = try await store.dispatchTarget(id)
        try APIError.check(caller.decide(action, areas: [target.areaID]))
        return target
    }

    /// The first occurrence of a program playing in `commune` (the named one, or any of the
    /// commune's and the areas' above) that starts after `now`: the earliest.
    private func nextOccurrence(in commune: String, named: Program?, after now: Date) async throws -> (program: Program, date: LocalDate)? {
        let above = Set(try await store.ancestors(of: commune).map(\.id) + [commune])
        var candidates: [Program]
        if let named { candidates = [named] } else { candidates = try await store.allPrograms().filter { above.contains($0.areaID) } }
        var best: (program: Program, date: LocalDate, start: Date)?
        for program in candidates where above.contains(program.areaID) {
            guard let date = try await nextOccurrence(of: program, after: now), let start = occurrenceStart(program, on: date) else { continue }
            if best == nil || start < best!.start { best = (program, date, start) }
        }
        return best.map { ($0.program, $0.date) }
    }

    /// The local day of the program's first occurrence starting after `now`.
    private func nextOccurrence(of program: Program, after now: Date) async throws -> LocalDate? {
        let bulletins = try await programBulletins([program])
        guard let block = ProgramCompiler.block(program, bulletins: bulletins) else { return nil }
        let zone = services.settings.timeZone
        let plays = (try? GatewaySchedule(version: 0, timeZone: zone, entries: [block]).occurrences(in: DateInterval(start: now, end: now.addingTimeInterval(400 * 86_400)))) ?? []
        guard let first = plays.first(where: { $0.start > now }) else { return nil }
        return LocalDate.today(in: zone, now: first.start)
    }

    /// When the program's occurrence of `date` starts (nil when it does not play that day).
    func occurrenceStart(_ program: Program, on date: LocalDate) -> Date? {
        let entry = LoaSchedule.ScheduleEntry(id: "p", content: Content(sha256: String(repeating: "0", count: 64), durationMs: 1, title: ""),
                                              recurrence: program.recurrence.document(once: program.validFrom), time: program.timeOfDay.localTime,
                                              validFrom: program.validFrom, validTo: program.validTo)
        let zone = services.settings.timeZone
        guard let tz = TimeZone(identifier: zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        guard let dayStart = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) else { return nil }
        let plays = (try? GatewaySchedule(version: 0, timeZone: zone, entries: [entry]).occurrences(in: DateInterval(start: dayStart, duration: 86_400))) ?? []
        return plays.first?.start
    }

    private func sendEmergency(_ dispatch: Dispatch, _ bulletin: Bulletin, areas: [String], lead: TimeInterval, origin: AuditOrigin,
                               logger: Logger) async throws {
        let now = services.now().addingTimeInterval(lead)
        let spacing = TimeInterval(bulletin.durationMs) / 1000 + 2
        for index in 0..<dispatch.repeatCount {
            let start = now.addingTimeInterval(Double(index) * spacing)
            let announcement = try await store.createAnnouncement(
                NewAnnouncement(content: .bulletin(sha256: bulletin.sha256), target: BroadcastTarget(areaIDs: areas, gatewayIDs: []),
                                priority: Dispatch.emergencyPriority, startAt: start, expiresAt: start.addingTimeInterval(3_600),
                                dispatchID: dispatch.id),
                origin: origin)
            _ = try await services.fleet.push(announcement)
        }
        logger.notice("emergency sent down", metadata: [
            "dispatch.id": "\(dispatch.id)", "communes": "\(dispatch.targets.count)", "repeat": "\(dispatch.repeatCount)"])
    }

    func apiDispatch(_ dispatch: Dispatch, plays: Bool = true) async throws -> APIDispatch {
        var targets: [APIDispatch.Target] = []
        let reported = plays ? try await store.offerStatus(dispatch: dispatch.id) : [:]
        for target in dispatch.targets {
            var played: [APIDispatch.Play] = []
            if plays {
                let events = try await store.playEvents(PlayEventQuery(areaID: target.areaID, bulletinSHA256: dispatch.bulletinSHA256,
                                                                       from: dispatch.createdAt, limit: 1_000)).events
                played = events.filter { event in
                    dispatch.dispatchClass == .emergency ? event.itemID.hasPrefix("announcement-")
                        : ProgramCompiler.dispatchTarget(fromItemID: event.itemID) == target.id
                }.map { APIDispatch.Play(gatewayId: $0.gatewayID, kind: $0.kind.rawValue, at: APIJSON.time($0.at), itemId: $0.itemID) }
            }
            var shown = APIDispatch.Target(target, plays: played)
            // Placed, and every gateway that said anything of it missed it: it never sounded there.
            if target.state == .placed, !played.isEmpty, played.allSatisfy({ $0.kind == PlayLogEntry.Kind.missed.rawValue }) {
                shown.state = "missed"
            }
            // Sent on through the link: the downstream's report says what became of it there.
            if let report = reported[target.id] {
                shown.state = report.state
                shown.reason = report.reason
                shown.plays += report.plays.map {
                    APIDispatch.Play(gatewayId: "\(report.link)/\($0.gatewayId)", kind: $0.kind, at: $0.at, itemId: "link-offer-\(target.id)")
                }
            }
            targets.append(shown)
        }
        return APIDispatch(dispatch, title: (try? await store.bulletin(dispatch.bulletinSHA256))?.title, senderLevel: try await senderLevel(dispatch),
                           targets: targets)
    }

    private func senderLevel(_ dispatch: Dispatch) async throws -> String {
        if let level = try await store.linkSenderLevel(dispatch: dispatch.id) { return level }
        guard let area = dispatch.senderAreaID else { return "central" }
        return (try? await store.area(area).kind.rawValue) ?? "unknown"
    }

    private func inboxItem(_ dispatch: Dispatch, _ target: Dispatch.Target) async throws -> APIInboxItem {
        APIInboxItem(target: target, dispatch: dispatch, title: (try? await store.bulletin(dispatch.bulletinSHA256))?.title,
                     senderLevel: try await senderLevel(dispatch))
    }
}
