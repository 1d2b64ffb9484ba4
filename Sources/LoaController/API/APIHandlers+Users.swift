import Foundation
import Hummingbird

extension APIHandlers {
    func listUsers(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.manageUsers))
        let users = try await store.users().filter { caller.scope.covers($0.areaID) }
        return try APIResponse.json(try page(request).apply(users.map(APIUser.init)))
    }

    func createUser(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let input = try await APIJSON.decode(UserInput.self, from: request)
        let role = try Self.role(input.role)
        try APIError.check(caller.decide(.manageUsers, areas: [input.areaId]))
        try checkAssignable(role, by: caller)
        if let areaID = input.areaId { _ = try await store.area(areaID) }
        let user = try await store.createUser(username: input.username, password: input.password, role: role,
                                              areaID: input.areaId, origin: try context.origin())
        return try APIResponse.json(APIUser(user), status: .created)
    }

    func getUser(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.manageUsers))
        let user = try await store.user(try parameter("username", context))
        try APIError.check(caller.decide(.manageUsers, areas: [user.areaID]))
        return try APIResponse.json(APIUser(user))
    }

    func updateUser(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try APIError.check(caller.decide(.manageUsers))
        let patch = try await APIJSON.decode(UserPatch.self, from: request)
        let old = try await store.user(try parameter("username", context))
        try APIError.check(caller.decide(.manageUsers, areas: [old.areaID]))
        try checkAssignable(old.role, by: caller)
        let role = try patch.role.map(Self.role) ?? old.role
        let areaID = patch.areaId ?? old.areaID
        try APIError.check(caller.decide(.manageUsers, areas: [areaID]))
        try checkAssignable(role, by: caller)
        if patch.disabled == true, old.username == caller.user.username {
            throw APIError.conflict("you cannot disable your own account; ask another admin")
        }
        let origin = try context.origin()
        var user = old
        if role != old.role || areaID != old.areaID {
            user = try await store.updateUser(old.username, role: role, areaID: areaID, origin: origin)
        }
        if let password = patch.password { try await store.setPassword(old.username, password: password, origin: origin) }
        if let disabled = patch.disabled { user = try await store.setUserDisabled(old.username, disabled, origin: origin) }
        return try APIResponse.json(APIUser(user))
    }

    static func role(_ text: String) throws(APIError) -> User.Role {
        guard let role = User.Role(rawValue: text) else {
            throw .validation("'role' must be one of \(User.Role.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return role
    }

    private func checkAssignable(_ role: User.Role, by caller: Caller) throws(APIError) {
        guard AccessPolicy.assignableRoles(by: caller.role).contains(role) else {
            throw .forbidden("a user with role '\(caller.role.rawValue)' may not manage '\(role.rawValue)' users; ask an admin")
        }
    }
}
