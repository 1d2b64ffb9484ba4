import Foundation
import Hummingbird
import LoaProtocol

extension APIHandlers {
    func listGateways(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.read))
        let page = try page(request)
        let gateways: [Gateway]
        let health: [HealthSample]
        if let areaID = try await areaFilter(request, caller) ?? caller.scope.root {
            gateways = try await store.gateways(inSubtreeOf: areaID).filter { caller.scope.covers($0.areaID) }
            health = try await store.latestHealth(inSubtreeOf: areaID)
        } else {
            gateways = try await store.allGateways()
            health = try await store.allLatestHealth()
        }
        let healthByID = Dictionary(health.map { ($0.gatewayID, $0) }, uniquingKeysWith: { a, _ in a })
        let shown = page.apply(gateways.map { status($0, health: healthByID[$0.id]) })
        return try APIResponse.json(await withTitles(shown))
    }

    func createGateway(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let input = try await APIJSON.decode(GatewayInput.self, from: request)
        try APIError.check(caller.decide(.manageGateways, areas: [input.areaId]))
        guard !input.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw APIError.validation("'name' must not be empty") }
        try Self.checkLocation(input.location)
        let registration = try await store.createGateway(id: input.id, name: input.name, areaID: input.areaId,
                                                         location: input.location?.model, origin: try context.origin())
        services.secrets?.invalidate(input.id)
        services.fleet.changes.publish(input.id)
        return try APIResponse.json(GatewayCreated(gateway: status(registration.gateway, health: nil),
                                                   secret: registration.secret.base64), status: .created)
    }

    func getGateway(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let gateway = try await store.gateway(try parameter("id", context))
        try APIError.check(caller.decide(.read, areas: [gateway.areaID]))
        var count = 20
        if let text = try query(request, "history") {
            guard let n = Int(text), (0...1_000).contains(n) else { throw APIError.validation("'history' must be an integer from 0 to 1000") }
            count = n
        }
        let history = try await store.healthHistory(of: gateway.id, limit: count)
        let detail = GatewayDetail(
            gateway: await withTitles(APIList(items: [status(gateway, health: try await store.latestHealth(of: gateway.id))])).items[0],
            healthHistory: history.map { .init(at: APIJSON.time($0.at), report: JSONValue.parse($0.report) ?? .null) })
        return try APIResponse.json(detail)
    }

    func updateGateway(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.manageGateways))
        let patch = try await APIJSON.decode(GatewayPatch.self, from: request)
        let old = try await store.gateway(try parameter("id", context))
        let areaID = patch.areaId ?? old.areaID
        try APIError.check(caller.decide(.manageGateways, areas: [old.areaID, areaID]))
        if let name = patch.name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw APIError.validation("'name' must not be empty") }
        let location: Gateway.Location?
        if let given = patch.location {
            try Self.checkLocation(given)
            location = given?.model
        } else {
            location = old.location
        }
        let gateway = try await store.updateGateway(old.id, name: patch.name ?? old.name, areaID: areaID, location: location,
                                                    origin: try context.origin())
        if areaID != old.areaID { services.fleet.notifyScheduleChanged(gatewayIDs: [old.id]) }
        services.fleet.changes.publish(old.id)
        return try APIResponse.json(status(gateway, health: try await store.latestHealth(of: gateway.id)))
    }

    func rotateSecret(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let gateway = try await store.gateway(try parameter("id", context))
        try APIError.check(caller.decide(.manageGateways, areas: [gateway.areaID]))
        let secret = try await store.rotateGatewaySecret(gateway.id, origin: try context.origin())
        services.secrets?.invalidate(gateway.id)
        return try APIResponse.json(["secret": secret.base64])
    }

    /// Sends the command and waits up to `commandWaitSeconds` for the result: 200 with it, or
    /// 202 with only the id when the gateway is slow (the result still lands in the audit log).
    func sendCommand(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let gateway = try await store.gateway(try parameter("id", context))
        try APIError.check(caller.decide(.commandGateways, areas: [gateway.areaID]))
        let input = try await APIJSON.decode(CommandInput.self, from: request)
        let action = try Self.commandAction(input)
        let (id, result) = try await services.fleet.send(action, to: gateway.id, origin: try context.origin(),
                                                          waitSeconds: services.settings.commandWaitSeconds)
        guard let result else { return try APIResponse.json(CommandOutput(commandId: id), status: .accepted) }
        return try APIResponse.json(CommandOutput(commandId: id, ok: result.ok, message: result.message ?? "", output: result.output))
    }

    /// Every field given is checked against its range whatever the action (docs/openapi.yaml
    /// bounds them all), so `lines: 10001` beside `action: volume` is refused, not ignored.
    static func commandAction(_ input: CommandInput) throws(APIError) -> CommandAction {
        if let percent = input.percent, !(0...100).contains(percent) { throw .validation("'percent' must be 0–100") }
        if let seconds = input.seconds, !(1...60).contains(seconds) { throw .validation("test-tone 'seconds' must be 1–60") }
        if let frequency = input.frequencyHz, !(20...20_000).contains(frequency) {
            throw .validation("test-tone 'frequencyHz' must be 20–20000")
        }
        if let lines = input.lines, !(1...10_000).contains(lines) { throw .validation("logs 'lines' must be 1–10000") }
        switch input.action {
        case "volume":
            guard let percent = input.percent else { throw .validation("volume needs 'percent' from 0 to 100") }
            return .setVolume(percent: UInt8(percent))
        case "test-tone":
            return .testTone(frequencyHz: UInt16(input.frequencyHz ?? 1_000), durationMs: UInt32((input.seconds ?? 5) * 1_000))
        case "restart":
            return .restart
        case "logs":
            return .sendLogs(lines: UInt32(input.lines ?? 100))
        default:
            throw .validation("'action' must be volume, test-tone, restart or logs, not '\(Identifier.escaped(input.action))'")
        }
    }

    static func checkLocation(_ location: APILocation?) throws(APIError) {
        guard let location else { return }
        guard (-90...90).contains(location.latitude), (-180...180).contains(location.longitude) else {
            throw .validation("'location' needs latitude −90…90 and longitude −180…180 (WGS 84 degrees)")
        }
    }

    func status(_ gateway: Gateway, health: HealthSample?) -> APIGatewayStatus {
        APIGatewayStatus(gateway, online: services.fleet.isOnline(gateway.id), health: health)
    }

    /// Each health's `nowPlaying` item id gets `nowPlayingTitle` beside it (`ItemTitles`).
    func withTitles(_ page: APIList<APIGatewayStatus>) async -> APIList<APIGatewayStatus> {
        var page = page
        func nowPlaying(_ health: JSONValue?) -> String? {
            guard case .object(let object)? = health, case .string(let item)? = object["nowPlaying"] else { return nil }
            return item
        }
        let titles = await ItemTitles.read(store, items: page.items.compactMap { nowPlaying($0.health) })
        for index in page.items.indices {
            guard case .object(var health)? = page.items[index].health, let item = nowPlaying(page.items[index].health),
                  let title = titles[item] else { continue }
            health["nowPlayingTitle"] = .string(title)
            page.items[index].health = .object(health)
        }
        return page
    }
}
