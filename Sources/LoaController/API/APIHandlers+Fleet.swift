import Foundation
import Hummingbird
import LoaProtocol
import NIOCore

/// The fleet at a glance (the console's dashboard): every gateway in the caller's scope with its
/// condition and place, counts per area for the drill-down, and a stream of changes as they
/// happen (server-sent events, with the same token and scope as every other call).
extension APIHandlers {
    func fleetOverview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let view = try await fleetView(request, caller)
        let shown = try await gateways(in: view, caller)
        let health = if let root = view.root { try await store.latestHealth(inSubtreeOf: root) } else { try await store.allLatestHealth() }
        let reports = Dictionary(health.map { ($0.gatewayID, $0) }, uniquingKeysWith: { a, _ in a })
        let decoder = JSONDecoder()
        var entries = shown.map { fleetEntry($0, health: reports[$0.id], decoder: decoder) }
        let titles = await ItemTitles.read(store, items: entries.compactMap(\.nowPlaying))
        for index in entries.indices { entries[index].nowPlayingTitle = entries[index].nowPlaying.flatMap { titles[$0] } }
        let summary = FleetSummary(areas: view.areas.values.map { ($0.id, $0.parentID) },
                                   gateways: entries.map { ($0.areaId, $0.condition) })
        let areas = view.areas.values.sorted { $0.id < $1.id }.map { area in
            APIFleetArea(id: area.id, name: area.name, kind: area.kind.rawValue, parentId: view.root == area.id ? nil : area.parentID,
                         counts: summary.counts[area.id] ?? .init())
        }
        return try APIResponse.json(APIFleet(area: view.root, at: APIJSON.time(services.now()), areas: areas,
                                             gateways: entries.sorted { $0.id < $1.id }))
    }

    /// `text/event-stream`: `gateway` with a gateway's new entry, `removed` with `{id}` when one
    /// leaves the view, `resync` when the reader fell behind (read /fleet again), and a comment
    /// line every 15 s so a dead reader is noticed and proxies keep the connection open.
    func fleetEvents(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let view = try await fleetView(request, caller)
        let changes = services.fleet.changes
        let subscription = changes.subscribe()
        // The gateways in the view when the stream opened (a reader loads /fleet beside it).
        let shownAtOpen: Set<String>
        do {
            shownAtOpen = Set(try await gateways(in: view, caller).map(\.id))
        } catch {
            changes.unsubscribe(subscription)
            throw error
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache, no-store"
        context.logger.info("fleet event stream opened", metadata: ["area.id": "\(view.root ?? "all")"])
        return Response(status: .ok, headers: headers, body: ResponseBody { [self] writer in
            let keepAlive = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    subscription.poke()
                }
            }
            defer {
                keepAlive.cancel()
                changes.unsubscribe(subscription)
            }
            var shown = shownAtOpen
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let decoder = JSONDecoder()
            func event(_ name: String, _ data: Data) -> ByteBuffer {
                ByteBuffer(string: "event: \(name)\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n")
            }
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            try await writer.write(event("hello", try encoder.encode(["at": APIJSON.time(services.now())])))
            while let batch = await subscription.next() {
                switch batch {
                case .idle:
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                case .resync:
                    try await writer.write(event("resync", Data("{}".utf8)))
                case .gateways(let ids):
                    var out = ByteBuffer()
                    for id in ids.sorted() {
                        guard let gateway = try? await store.gateway(id),
                              view.areas.keys.contains(gateway.areaID), caller.scope.covers(gateway.areaID) else {
                            // Told only of gateways it was shown: one moved out (or deleted) leaves.
                            if shown.remove(id) != nil { out.writeImmutableBuffer(event("removed", try encoder.encode(["id": id]))) }
                            continue
                        }
                        shown.insert(id)
                        var entry = fleetEntry(gateway, health: try? await store.latestHealth(of: id), decoder: decoder)
                        if let item = entry.nowPlaying { entry.nowPlayingTitle = await ItemTitles.read(store, items: [item])[item] }
                        out.writeImmutableBuffer(event("gateway", try encoder.encode(entry)))
                    }
                    try await writer.write(out)
                }
            }
            try await writer.finish(nil)
        })
    }

    /// The area the view is rooted at (the query's `area`, else the caller's own, else all) and
    /// every area of it the caller may see.
    private func fleetView(_ request: Request, _ caller: Caller) async throws -> (root: String?, areas: [String: Area]) {
        let root = try await areaFilter(request, caller) ?? caller.scope.root
        let areas = if let root { try await store.subtree(of: root) } else { try await store.allAreas() }
        return (root, Dictionary(areas.filter { caller.scope.covers($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The gateways of the view's areas that the caller may see.
    private func gateways(in view: (root: String?, areas: [String: Area]), _ caller: Caller) async throws -> [Gateway] {
        let all = if let root = view.root { try await store.gateways(inSubtreeOf: root) } else { try await store.allGateways() }
        return all.filter { view.areas.keys.contains($0.areaID) && caller.scope.covers($0.areaID) }
    }

    func fleetEntry(_ gateway: Gateway, health: HealthSample?, decoder: JSONDecoder) -> APIFleetGateway {
        let report = health.flatMap { try? decoder.decode(HealthReport.self, from: $0.report) }
        let condition = GatewayCondition(online: services.fleet.isOnline(gateway.id), report: report)
        return APIFleetGateway(id: gateway.id, name: gateway.name, areaId: gateway.areaID,
                               latitude: gateway.location?.latitude, longitude: gateway.location?.longitude,
                               condition: condition, faults: report.map(GatewayCondition.faults) ?? [],
                               nowPlaying: condition == .offline ? nil : report?.nowPlaying, nowPlayingTitle: nil,
                               lastSeenAt: APIJSON.time(gateway.lastSeenAt))
    }
}

struct APIFleet: Encodable, Sendable {
    var area: String?
    var at: String
    var areas: [APIFleetArea]
    var gateways: [APIFleetGateway]
}

struct APIFleetArea: Encodable, Sendable {
    var id: String
    var name: String
    var kind: String
    var parentId: String?
    var counts: FleetSummary.Counts
}

struct APIFleetGateway: Encodable, Sendable {
    var id: String
    var name: String
    var areaId: String
    var latitude: Double?
    var longitude: Double?
    var condition: GatewayCondition
    var faults: [String]
    var nowPlaying: String?
    var nowPlayingTitle: String?
    var lastSeenAt: String?
}
