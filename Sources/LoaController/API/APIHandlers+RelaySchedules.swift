import Foundation
import Hummingbird
import LoaSchedule

/// Scheduled relays ("tiếp sóng" at fixed hours): an operator names an upstream, an area, a
/// recurrence and a duration; `RelayScheduler` opens each window on time and the area's
/// gateways have the windows in their schedule. Seen by anyone whose scope touches the area;
/// changed by a caller who may go live there.
extension APIHandlers {
    func listRelaySchedules(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        var shown: [APIRelaySchedule] = []
        let now = services.now()
        for rule in try await store.allRelaySchedules() where try await seesRelay(rule, caller) {
            shown.append(APIRelaySchedule(rule, next: nextWindow(rule, after: now)))
        }
        return try APIResponse.json(try page(request).apply(shown))
    }

    func createRelaySchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let input = try await APIJSON.decode(RelayScheduleInput.self, from: request)
        var rule = try input.rule(allowedHosts: services.live.settings.relayHosts)
        let area = try await store.area(rule.areaID)
        try APIError.check(caller.decide(.announce, areas: [area.id]))
        if let sha256 = rule.fallbackSHA256 {
            let bulletin = try await usableBulletin(sha256, caller)
            guard bulletin.state == .approved else {
                throw APIError.conflict("fallback bulletin \(sha256.prefix(8))… is \(bulletin.state.rawValue); only an approved bulletin can stand in for a relay",
                                        code: "not_approved")
            }
        }
        guard nextWindow(rule, after: services.now().addingTimeInterval(-TimeInterval(rule.durationSeconds))) != nil else {
            throw APIError.validation("this relay would never play: every window it describes has passed (check 'at', 'from' and 'until')")
        }
        rule.createdBy = caller.user.username
        let stored = try await store.createRelaySchedule(rule, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: try await store.gatewaysAffected(byChangeToArea: stored.areaID))
        return try APIResponse.json(APIRelaySchedule(stored, next: nextWindow(stored, after: services.now())), status: .created)
    }

    func getRelaySchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let rule = try await relaySchedule(context)
        guard try await seesRelay(rule, caller) else {
            throw APIError.forbidden("relay schedule \(rule.id) plays outside your area; ask a user responsible for it")
        }
        return try APIResponse.json(APIRelaySchedule(rule, next: nextWindow(rule, after: services.now())))
    }

    /// Deleting a rule ends a window it has on air (the scheduler closes it within a second).
    func deleteRelaySchedule(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let rule = try await relaySchedule(context)
        try APIError.check(caller.decide(.announce, areas: [rule.areaID]))
        try await store.deleteRelaySchedule(rule.id, origin: try context.origin())
        services.fleet.notifyScheduleChanged(gatewayIDs: try await store.gatewaysAffected(byChangeToArea: rule.areaID))
        return APIResponse.noContent()
    }

    private func relaySchedule(_ context: APIRequestContext) async throws -> RelaySchedule {
        let text = try parameter("id", context)
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("relay schedule '\(text)' does not exist (ids are numbers)") }
        return try await store.relaySchedule(id)
    }

    /// In scope, below it, or above it (a province's relay plays in a commune of the caller's).
    private func seesRelay(_ rule: RelaySchedule, _ caller: Caller) async throws -> Bool {
        if caller.scope.canSee(rule.areaID) { return true }
        return try await store.subtree(of: rule.areaID).contains { caller.scope.canSee($0.id) }
    }

    /// The start of the rule's first window that ends after `after`, in the controller's zone.
    func nextWindow(_ rule: RelaySchedule, after: Date) -> Date? {
        let document = GatewaySchedule(version: 0, timeZone: services.settings.timeZone, entries: [], relays: [rule.entry(fallback: nil)])
        let windows = try? document.relayWindows(in: DateInterval(start: after.addingTimeInterval(-TimeInterval(rule.durationSeconds)),
                                                                  end: after.addingTimeInterval(400 * 86_400)))
        return windows?.first { $0.end > after }?.start
    }
}

/// `POST /api/v1/relay-schedules`.
struct RelayScheduleInput: APIBody {
    static let notNullableFields: Set<String> = ["days", "priority", "onBusy", "onInterrupt", "fallbackBulletin"]
    var areaId: String
    var title: String
    var relayUrl: String
    var recurrence: String
    var days: [Int]?
    var at: String
    var from: String
    var until: String?
    var durationSeconds: Int
    var priority: Int?
    var onBusy: String?
    var onInterrupt: String?
    var fallbackBulletin: String?

    func rule(allowedHosts: [String]) throws(APIError) -> RelaySchedule {
        let title = self.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw .validation("'title' must be 1 to 200 characters") }
        let url = try APIHandlers.relayURL(relayUrl, allowedHosts: allowedHosts)
        let time = try ScheduleInput.timeOfDay(at)
        let start = try ScheduleInput.date(from, field: "from")
        let end = try until.map { (text) throws(APIError) in try ScheduleInput.date(text, field: "until") }
        if let end, end < start { throw .validation("'until' (\(end)) is before 'from' (\(start)); the relay would never play") }
        let recurrence = try ScheduleInput.recurrence(self.recurrence, days: days, start: start, end: end)
        guard RelaySchedule.durationLimit.contains(durationSeconds) else {
            throw .validation("'durationSeconds' must be \(RelaySchedule.durationLimit.lowerBound)–\(RelaySchedule.durationLimit.upperBound) (6 hours)")
        }
        let priority = self.priority ?? Int(RelaySchedule.defaultPriority)
        guard (0...199).contains(priority) else {
            throw .validation("'priority' must be 0–199 (relays default to \(RelaySchedule.defaultPriority), the background band; emergencies are not scheduled)")
        }
        let (onBusy, onInterrupt) = try ScheduleInput.policies(self.onBusy, self.onInterrupt)
        if let fallbackBulletin, !Bulletin.isValidSHA256(fallbackBulletin) {
            throw .validation("'fallbackBulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
        }
        return RelaySchedule(id: 0, areaID: areaId, title: title, relayURL: url, recurrence: recurrence, timeOfDay: time,
                             validFrom: start, validTo: end, durationSeconds: durationSeconds, priority: UInt8(priority),
                             onBusy: onBusy, onInterrupt: onInterrupt, fallbackSHA256: fallbackBulletin)
    }
}

/// A scheduled relay as the API shows it.
struct APIRelaySchedule: Codable, Sendable, APIRecurring {
    var id: Int64
    var areaId: String
    var title: String
    var relayUrl: String
    var recurrence: String
    var days: [Int]
    var at: String
    var from: String
    @Nullable var until: String?
    var durationSeconds: Int
    var priority: Int
    var onBusy: String
    var onInterrupt: String
    @Nullable var fallbackBulletin: String?
    var createdBy: String
    /// The start of the next window (or the one on air now); null when none is left.
    @Nullable var nextWindow: String?

    init(_ rule: RelaySchedule, next: Date?) {
        id = rule.id
        areaId = rule.areaID
        title = rule.title
        relayUrl = rule.relayURL
        (recurrence, days, at) = Self.when(rule.recurrence, rule.timeOfDay)
        from = rule.validFrom.description
        until = rule.validTo?.description
        durationSeconds = rule.durationSeconds
        priority = Int(rule.priority)
        onBusy = rule.onBusy.rawValue
        onInterrupt = rule.onInterrupt.rawValue
        fallbackBulletin = rule.fallbackSHA256
        createdBy = rule.createdBy
        nextWindow = APIJSON.time(next)
    }
}
