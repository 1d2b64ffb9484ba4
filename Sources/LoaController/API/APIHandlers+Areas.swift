import Foundation
import Hummingbird

extension APIHandlers {
    func listAreas(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let areas = if let root = caller.scope.root { try await store.subtree(of: root) } else { try await store.allAreas() }
        return try APIResponse.json(APIList(items: areas.map(APIArea.init)))
    }

    func createArea(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let input = try await APIJSON.decode(AreaInput.self, from: request)
        guard let kind = Area.Kind(rawValue: input.kind) else {
            throw APIError.validation("'kind' must be province, district or commune, not '\(input.kind)'")
        }
        try APIError.check(caller.decide(.manageAreas, areas: [input.parentId]))
        let area = Area(id: input.id, name: input.name, kind: kind, parentID: input.parentId)
        try await store.createArea(area, origin: try context.origin())
        return try APIResponse.json(APIArea(try await store.area(area.id)), status: .created)
    }

    func getArea(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let area = try await store.area(try parameter("id", context))
        try APIError.check(caller.decide(.read, areas: [area.id]))
        return try APIResponse.json(APIArea(area))
    }

    /// Renames or moves an area. An operator may change only areas strictly below their own,
    /// and move them only within their own subtree.
    func updateArea(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.manageAreas))
        let patch = try await APIJSON.decode(AreaPatch.self, from: request)
        var area = try await store.area(try parameter("id", context))
        guard caller.scope.isBelowRoot(area.id) else {
            throw APIError.forbidden("area '\(area.id)' is your own area or outside it; only areas below yours can be changed (ask an admin)")
        }
        if let name = patch.name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw APIError.validation("'name' must not be empty") }
            area.name = name
        }
        let moved = patch.parentId != nil && patch.parentId! != area.parentID
        if let parent = patch.parentId {
            try APIError.check(caller.decide(.manageAreas, areas: [parent]))
            area.parentID = parent
        }
        try await store.updateArea(area, origin: try context.origin())
        if moved { try await services.fleet.notifyScheduleChanged(area: area.id) }
        return try APIResponse.json(APIArea(try await store.area(area.id)))
    }
}
