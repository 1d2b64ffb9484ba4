import Foundation
import HTTPTypes
import Hummingbird

extension APIHandlers {
    /// Newest first, keyset-paginated; CSV with `format=csv` or `Accept: text/csv`.
    func playLog(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let query = try await playLogQuery(request, context)
        let result = try await store.playEvents(query)
        guard try wantsCSV(request) else {
            let places = await programItems(ofLiveItems: result.events.map(\.itemID))
            return try APIResponse.json(APIList(items: result.events.map { APIPlayEvent($0, programItem: places[$0.itemID]) },
                                                next: result.next?.token))
        }
        let labels = await CSVLabels.read(store, gateways: result.events.map(\.gatewayID), bulletins: result.events.compactMap(\.bulletinSHA256),
                                          items: result.events.map(\.itemID))
        var text = "at,gateway,item,bulletin,kind,position_ms,event_id,detail,origin,title,gateway_name,area\r\n"
        for event in result.events {
            let fields = [APIJSON.time(event.at), event.gatewayID, event.itemID, event.bulletinSHA256 ?? "", event.kind.rawValue,
                          "\(event.positionMs)", event.eventID, event.detail ?? "", event.origin.rawValue]
                + labels.columns(gateway: event.gatewayID, bulletin: event.bulletinSHA256, item: event.itemID)
            text += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return csvResponse(text, filename: "play-log.csv", next: result.next)
    }

    /// The program item each live item (`live-<id>`) among `items` was opened for — a
    /// program's relay — so its events name the program and place; streams not found are left out.
    func programItems(ofLiveItems items: [String]) async -> [String: String] {
        var places: [String: String] = [:]
        for item in Set(items) where item.hasPrefix("live-") {
            guard let id = Int64(item.dropFirst(5)), let stream = try? await store.liveStream(id), let place = stream.programItem else { continue }
            places[item] = place
        }
        return places
    }

    /// One row per (gateway, item): how each life ended, newest first by its first event; the
    /// same filters, scope and keyset as the play log, applied to that first event.
    func playOutcomes(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let query = try await playLogQuery(request, context)
        let result = try await store.playOutcomes(query)
        guard try wantsCSV(request) else {
            return try APIResponse.json(APIList(items: result.outcomes.map(APIPlayOutcome.init), next: result.next?.token))
        }
        let labels = await CSVLabels.read(store, gateways: result.outcomes.map(\.gatewayID), bulletins: result.outcomes.compactMap(\.bulletinSHA256),
                                          items: result.outcomes.map(\.itemID))
        var text = "first_at,last_at,gateway,item,bulletin,outcome,position_ms,events,detail,origin,title,gateway_name,area\r\n"
        for row in result.outcomes {
            let fields = [APIJSON.time(row.firstAt), APIJSON.time(row.lastAt), row.gatewayID, row.itemID, row.bulletinSHA256 ?? "",
                          row.outcome.rawValue, "\(row.positionMs)", "\(row.events)", row.detail ?? "", row.origin.rawValue]
                + labels.columns(gateway: row.gatewayID, bulletin: row.bulletinSHA256, item: row.itemID)
            text += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return csvResponse(text, filename: "play-outcomes.csv", next: result.next)
    }

    /// The play log's filters, in the caller's scope.
    private func playLogQuery(_ request: Request, _ context: APIRequestContext) async throws -> PlayEventQuery {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        var query = PlayEventQuery()
        query.areaID = try await areaFilter(request, caller) ?? caller.scope.root
        if let areaID = query.areaID { try APIError.check(caller.decide(.read, areas: [areaID])) }
        if let gatewayID = try self.query(request, "gateway") {
            let gateway = try await store.gateway(gatewayID)
            try APIError.check(caller.decide(.read, areas: [gateway.areaID]))
            query.gatewayID = gatewayID
        }
        if let sha = try self.query(request, "bulletin") {
            guard Bulletin.isValidSHA256(sha) else {
                throw APIError.validation("'bulletin' must be a SHA-256 in 64 lowercase hex digits, not '\(Identifier.escaped(sha))'")
            }
            query.bulletinSHA256 = sha
        }
        for (name, keyPath) in [("since", \PlayEventQuery.from), ("until", \PlayEventQuery.until)] {
            if let text = try self.query(request, name) {
                guard let date = APIJSON.parseTime(text) else { throw APIError.validation("'\(name)' is not an RFC 3339 time: '\(text)'") }
                query[keyPath: keyPath] = date
            }
        }
        // The play log pages by (time, sequence), not by offset: only the limit is shared.
        query.limit = try PageRequest.from(limit: try self.query(request, "limit"), cursor: nil).limit
        if let cursor = try self.query(request, "cursor") {
            guard let position = PlayEventQuery.Cursor(token: cursor) else {
                throw APIError.validation("'cursor' is not one this API gave; start again without it")
            }
            query.after = position
        }
        return query
    }

    /// `format=csv`, or no format and `Accept: text/csv`.
    func wantsCSV(_ request: Request) throws -> Bool {
        let format = try self.query(request, "format")
        guard format == nil || format == "json" || format == "csv" else {
            throw APIError.validation("'format' must be json or csv, not '\(Identifier.escaped(format ?? ""))'")
        }
        return format == "csv" || (format == nil && (request.headers[.accept]?.contains("text/csv") ?? false))
    }

    func csvResponse(_ text: String, filename: String, next: PlayEventQuery.Cursor?) -> Response {
        var response = APIResponse.bytes(Array(text.utf8), contentType: "text/csv; charset=utf-8")
        response.headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        if let next { response.headers[HTTPField.Name("Loa-Next-Cursor")!] = next.token }
        return response
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Admins see everything; operators the entries by users of their area or about areas,
    /// gateways and users in it.
    func audit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.readAudit))
        var search = AuditQuery()
        switch try query(request, "order") {
        case nil, "asc": search.order = .oldestFirst
        case "desc": search.order = .newestFirst
        case let other?: throw APIError.validation("'order' is asc (oldest first) or desc (newest first), not '\(other)'")
        }
        for (name, order) in [("after", AuditQuery.Order.oldestFirst), ("before", .newestFirst)] {
            guard let text = try query(request, name) else { continue }
            guard order == search.order else {
                throw APIError.validation("'\(name)' goes with order=\(order.rawValue); continue a page with its 'next'")
            }
            guard let value = Int64(text), value >= 0 else { throw APIError.validation("'\(name)' must be a sequence number (0 or more)") }
            search.cursor = value
        }
        search.limit = try PageRequest.from(limit: try query(request, "limit"), cursor: nil).limit
        search.actor = try query(request, "actor")
        search.actionPrefix = try query(request, "action")
        search.target = try query(request, "target")
        for name in ["from", "to"] {
            guard let text = try query(request, name) else { continue }
            guard let date = APIJSON.parseTime(text) else { throw APIError.validation("'\(name)' is not an RFC 3339 time: '\(text)'") }
            if name == "from" { search.from = date } else { search.to = date }
        }
        let limit = search.limit
        let entries = try await store.auditEntries(search)
        var visible = entries
        if !caller.scope.isEverything {
            var inScope = Set<String>()
            for user in try await store.users() where caller.scope.covers(user.areaID) { inScope.insert(user.username) }
            for (gateway, area) in try await gatewayAreas() where caller.scope.covers(area) { inScope.insert(gateway) }
            inScope.formUnion(caller.scope.subtree)
            visible = entries.filter { inScope.contains($0.actor) || inScope.contains($0.target) }
        }
        let next = entries.count == limit ? entries.last.map { "\($0.sequence)" } : nil
        return try APIResponse.json(APIList(items: visible.map(APIAuditEntry.init), next: next))
    }
}

/// What a person reads beside the ids in a play-log CSV (what a commune reports upward): the
/// title of the bulletin, live stream or relay, the gateway's name and its area. Read once per
/// page; an id that no longer resolves leaves its cell empty.
struct CSVLabels {
    var titles: [String: String] = [:]
    var liveTitles: [String: String] = [:]
    var gateways: [String: (name: String, area: String)] = [:]

    static func read(_ store: any ControllerStore, gateways: [String], bulletins: [String], items: [String]) async -> CSVLabels {
        var labels = CSVLabels()
        for id in Set(gateways) {
            if let gateway = try? await store.gateway(id) { labels.gateways[id] = (gateway.name, gateway.areaID) }
        }
        for sha256 in Set(bulletins) {
            if let bulletin = try? await store.bulletin(sha256) { labels.titles[sha256] = bulletin.title }
        }
        labels.liveTitles = await ItemTitles.read(store, items: items.filter { !$0.hasPrefix("rule-") })
        return labels
    }

    /// title, gateway_name, area.
    func columns(gateway: String, bulletin: String?, item: String) -> [String] {
        let title = bulletin.flatMap { titles[$0] } ?? liveTitles[item] ?? ""
        return [title, gateways[gateway]?.name ?? "", gateways[gateway]?.area ?? ""]
    }
}

/// What an as-played item id stands for, in words: the bulletin of a schedule occurrence
/// (`rule-12@…#0`), an announcement's (`announcement-4`), a live stream's or relay's title
/// (`live-7`), a scheduled relay's window (`relay-3@…`) or its fallback bulletin
/// (`relay-3@…#fallback`). The console shows it instead of the id ("Đang phát: live-1" was
/// what it showed); an id that no longer resolves is left out.
enum ItemTitles {
    static func read(_ store: any ControllerStore, items: [String]) async -> [String: String] {
        var titles: [String: String] = [:]
        for item in Set(items) {
            if let title = await title(store, item) { titles[item] = title }
        }
        return titles
    }

    static func title(_ store: any ControllerStore, _ item: String) async -> String? {
        func number(after prefix: String) -> Int64? {
            guard item.hasPrefix(prefix) else { return nil }
            return Int64(item.dropFirst(prefix.count).prefix { $0.isNumber })
        }
        func bulletinTitle(_ sha256: String?) async -> String? {
            guard let sha256 else { return nil }
            return try? await store.bulletin(sha256).title
        }
        if let id = number(after: "live-") { return try? await store.liveStream(id).title }
        if let id = number(after: "rule-") { return await bulletinTitle(try? await store.scheduleEntry(id).rule.bulletinSHA256) }
        if let id = number(after: "announcement-") { return await bulletinTitle(try? await store.announcement(id).content.sha256) }
        if let id = number(after: "relay-"), let rule = try? await store.relaySchedule(id) {
            return item.hasSuffix("#fallback") ? await bulletinTitle(rule.fallbackSHA256) : rule.title
        }
        return nil
    }
}
