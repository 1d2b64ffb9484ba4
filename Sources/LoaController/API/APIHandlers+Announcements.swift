import Foundation
import Hummingbird
import LoaSchedule

extension APIHandlers {
    func listAnnouncements(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let all: [Announcement]
        switch try query(request, "active") {
        case nil, "false": all = try await store.recentAnnouncements(limit: 10_000)
        case "true": all = try await store.activeAnnouncements(at: services.now())
        case let other?: throw APIError.validation("'active' must be true or false, not '\(other)'")
        }
        let gatewayAreas = try await self.gatewayAreas()
        let shown = all.filter { visible($0.target, caller, gatewayAreas) }
        return try APIResponse.json(try page(request).apply(shown.map(APIAnnouncement.init)))
    }

    /// Stores the announcement and pushes it at once to the targeted gateways that are online;
    /// those offline get it when they connect, until it expires.
    func createAnnouncement(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let input = try await APIJSON.decode(AnnouncementInput.self, from: request)
        let target = BroadcastTarget(areaIDs: input.areas ?? [], gatewayIDs: input.gateways ?? [])
        guard !target.isEmpty else { throw APIError.validation("give at least one target in 'areas' or 'gateways'") }
        let priority = input.priority ?? Int(Priority.announcement.rawValue)
        guard (0...255).contains(priority) else { throw APIError.validation("'priority' must be 0–255 (\(Priority.Band.announcementRule))") }
        let expiresIn = input.expiresInSeconds ?? 3_600
        guard (1...7 * 86_400).contains(expiresIn) else { throw APIError.validation("'expiresInSeconds' must be 1 to 604800 (7 days)") }
        var startAt = services.now()
        if let text = input.startAt {
            guard let parsed = APIJSON.parseTime(text) else { throw APIError.validation("'startAt' is not an RFC 3339 time: '\(text)'") }
            startAt = parsed
        }
        let expiresAt = startAt.addingTimeInterval(TimeInterval(expiresIn))
        guard expiresAt > services.now() else {
            throw APIError.validation("this announcement would have expired at \(APIJSON.time(expiresAt)), before now: leave 'startAt' out to play it now")
        }
        guard Bulletin.isValidSHA256(input.bulletin) else {
            throw APIError.validation("'bulletin' must be a bulletin's lowercase hex SHA-256 (64 characters)")
        }
        try await checkTargets(target, caller, action: .announce)
        let bulletin = try await usableBulletin(input.bulletin, caller)
        guard bulletin.state == .approved else {
            throw APIError.conflict("bulletin \(bulletin.sha256.prefix(8))… is \(bulletin.state.rawValue); only an approved bulletin can be announced",
                                    code: bulletin.state == .draft ? "not_approved" : "conflict")
        }
        let announcement = try await store.createAnnouncement(
            NewAnnouncement(content: .bulletin(sha256: bulletin.sha256), target: target, priority: UInt8(priority),
                            startAt: startAt, expiresAt: startAt.addingTimeInterval(TimeInterval(expiresIn))),
            origin: try context.origin())
        let delivery = try await services.fleet.push(announcement)
        context.logger.info("announcement pushed", metadata: [
            "announcement.id": "\(announcement.id)", "gateways.sent": "\(delivery.sent.count)",
            "gateways.offline": "\(delivery.offline.count)",
        ])
        return try APIResponse.json(APIAnnouncement(announcement), status: .created)
    }

    func stopAnnouncement(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.announce))
        let text = try parameter("id", context)
        guard let id = Int64(text) else { throw APIError.notFound("announcement '\(text)' does not exist (ids are numbers)") }
        let old = try await store.announcement(id)
        try await checkTargets(old.target, caller, action: .announce)
        guard old.stoppedAt == nil else {
            throw APIError.conflict("announcement \(id) was already stopped by \(old.stoppedBy ?? "someone")")
        }
        let announcement = try await store.stopAnnouncement(id, origin: try context.origin())
        _ = try await services.fleet.stopPlaying(announcement)
        return try APIResponse.json(APIAnnouncement(announcement))
    }
}
