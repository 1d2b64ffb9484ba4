import Foundation
import Hummingbird
import LoaSchedule

/// A schedule entry is visible when it plays somewhere in the caller's scope (its areas are in
/// scope or above it, or it names a gateway in scope); it may be changed only by a caller whose
/// scope covers every target.
extension APIHandlers {
    func listSchedules(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let gatewayAreas = try await self.gatewayAreas()
        var entries = try await store.allScheduleEntries().filter { visible($0.rule.target, caller, gatewayAreas) }
        if let gatewayID = try query(request, "gateway") {
            let gateway = try await store.gateway(gatewayID)
            try APIError.check(caller.decide(.read, areas: [gateway.areaID]))
            let ids = Set(try await store.scheduleEntries(forGateway: gatewayID, approvedOnly: false).map(\.id))
            entries = entries.filter { ids.contains($0.id) }
        }
        if let areaID = try await areaFilter(request, caller) {
            let related = Set(try await store.subtree(of: areaID).map(\.id) + store.ancestors(of: areaID).map(\.id))
            entries = entries.filter { entry in
                !related.isDisjoint(with: entry.rule.target.areaIDs)
                    || entry.rule.target.gatewayIDs.contains { gatewayAreas[$0].map(related.contains) ?? false }
            }
        }
        return try APIResponse.json(try page(request).apply(entries.map(APIScheduleEntry.init)))
    }

    func createSchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.schedule))
        let rule = try await APIJSON.decode(ScheduleInput.self, from: request).rule()
        try await checkTargets(rule.target, caller, action: .schedule)
        let bulletin = try await usableBulletin(rule.bulletinSHA256, caller)
        switch bulletin.state {
        case .archived:
            throw APIError.conflict("bulletin \(bulletin.sha256.prefix(8))… is archived; upload it again or pick another")
        case .draft where !Self.schedulesDrafts(caller.role, approvalRequired: services.settings.approvalRequired):
            throw APIError.conflict("bulletin \(bulletin.sha256.prefix(8))… is not approved yet; ask an operator to approve it first",
                                    code: "not_approved")
        default:
            break
        }
        let now = services.now()
        let document = GatewaySchedule(version: 0, timeZone: services.settings.timeZone, entries: [
            ScheduleCompiler.compile(ScheduleEntry(id: 0, rule: rule, createdBy: "", createdAt: now), bulletin: bulletin),
        ])
        let span = TimeInterval(Int64(bulletin.durationMs) * Int64(rule.repeatCount)) / 1000
        guard let next = try? document.occurrences(in: DateInterval(start: now.addingTimeInterval(-span), end: now.addingTimeInterval(400 * 86_400))),
              next.contains(where: { $0.end > now }) else {
            throw APIError.validation("this schedule would never play: its time has passed (check 'at', 'from' and 'until'; times are \(services.settings.timeZone))")
        }
        let entry = try await store.createScheduleEntry(rule, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: try await services.fleet.gatewayIDs(reachedBy: rule.target))
        var shown = APIScheduleEntry(entry)
        if bulletin.state == .draft && services.settings.approvalRequired {
            shown.warnings = ["bulletin \(bulletin.sha256.prefix(8))… is a draft: the gateways get this schedule only once it is approved"]
        }
        return try APIResponse.json(shown, status: .created)
    }

    func getSchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let entry = try await store.scheduleEntry(try scheduleID(context))
        guard visible(entry.rule.target, caller, try await gatewayAreas()) else {
            throw APIError.forbidden("schedule entry \(entry.id) plays outside your area; ask a user responsible for it")
        }
        return try APIResponse.json(APIScheduleEntry(entry))
    }

    func deleteSchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.schedule))
        let entry = try await store.scheduleEntry(try scheduleID(context))
        try await checkTargets(entry.rule.target, caller, action: .schedule)
        let reached = try await services.fleet.gatewayIDs(reachedBy: entry.rule.target)
        try await store.deleteScheduleEntry(entry.id, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: reached)
        return APIResponse.noContent()
    }

    /// What plays where between `from` and `to` (at most 31 days): each gateway's compiled
    /// schedule (approved bulletins only, as the gateways get it) expanded into plays.
    func previewSchedules(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        guard let fromText = try query(request, "from"), let toText = try query(request, "to") else {
            throw APIError.validation("give 'from' and 'to' as RFC 3339 times, e.g. from=2026-12-01T00:00:00Z")
        }
        guard let from = APIJSON.parseTime(fromText) else { throw APIError.validation("'from' is not an RFC 3339 time: '\(fromText)'") }
        guard let to = APIJSON.parseTime(toText) else { throw APIError.validation("'to' is not an RFC 3339 time: '\(toText)'") }
        guard to >= from else { throw APIError.validation("'to' must not be before 'from'") }
        guard to.timeIntervalSince(from) <= 31 * 86_400 else { throw APIError.validation("a preview covers at most 31 days") }
        var gateways: [Gateway]
        if let gatewayID = try query(request, "gateway") {
            let gateway = try await store.gateway(gatewayID)
            try APIError.check(caller.decide(.read, areas: [gateway.areaID]))
            gateways = [gateway]
        } else if let areaID = try await areaFilter(request, caller) ?? caller.scope.root {
            gateways = try await store.gateways(inSubtreeOf: areaID)
        } else {
            gateways = try await store.allGateways()
        }
        gateways = gateways.filter { caller.scope.covers($0.areaID) }
        let source = GatewayScheduleSource(store: store, timeZone: services.settings.timeZone)
        var items: [PreviewItem] = []
        for gateway in gateways {
            let schedule = try await source.schedule(for: gateway.id)
            for occurrence in try schedule.occurrences(in: DateInterval(start: from, end: to)) {
                items.append(PreviewItem(gatewayId: gateway.id, itemId: occurrence.id, bulletin: occurrence.content.sha256,
                                         title: occurrence.content.title, startAt: APIJSON.time(occurrence.start),
                                         durationMs: occurrence.durationMs, priority: Int(occurrence.priority.rawValue)))
            }
            guard items.count <= 50_000 else { throw APIError.validation("the preview has over 50000 plays; narrow it with 'area', 'gateway' or a shorter range") }
        }
        items.sort { ($0.startAt, $0.gatewayId, $0.itemId) < ($1.startAt, $1.gatewayId, $1.itemId) }
        return try APIResponse.json(APIList(items: items))
    }

    // MARK: Scope helpers

    func scheduleID(_ context: APIRequestContext) throws(APIError) -> Int64 {
        let text = try parameter("id", context)
        guard let id = Int64(text) else { throw .notFound("schedule entry '\(text)' does not exist (ids are numbers)") }
        return id
    }

    /// Whether a role's schedule entry may name a draft: not a broadcaster's while approval is
    /// required (an operator's waits for the approval; `GET /me` tells the console).
    static func schedulesDrafts(_ role: User.Role, approvalRequired: Bool) -> Bool {
        !(role == .broadcaster && approvalRequired)
    }

    /// Gateway id → its commune.
    func gatewayAreas() async throws -> [String: String] {
        Dictionary(try await store.allGateways().map { ($0.id, $0.areaID) }, uniquingKeysWith: { a, _ in a })
    }

    func visible(_ target: BroadcastTarget, _ caller: Caller, _ gatewayAreas: [String: String]) -> Bool {
        caller.scope.isEverything
            || target.areaIDs.contains { caller.scope.canSee($0) }
            || target.gatewayIDs.contains { gatewayAreas[$0].map { caller.scope.covers($0) } ?? false }
    }

    /// Every target exists (404 otherwise) and is covered by the caller's scope (403 otherwise).
    func checkTargets(_ target: BroadcastTarget, _ caller: Caller, action: APIAction) async throws {
        var areas: [String?] = []
        for areaID in target.areaIDs { areas.append(try await store.area(areaID).id) }
        for gatewayID in target.gatewayIDs { areas.append(try await store.gateway(gatewayID).areaID) }
        try APIError.check(caller.decide(action, areas: areas))
    }
}
