/// The authenticated user behind a request, with their area scope and address.
public struct Caller: Sendable, Equatable {
    public let user: User
    public let scope: AreaScope
    /// SHA-256 of the bearer token used, so logout can delete it.
    public let tokenSHA256: String

    public init(user: User, scope: AreaScope, tokenSHA256: String) {
        self.user = user
        self.scope = scope
        self.tokenSHA256 = tokenSHA256
    }

    public var role: User.Role { user.role }

    public func decide(_ action: APIAction, areas: [String?] = [], seeing: Bool = false) -> AccessDecision {
        AccessPolicy.decide(action, role: role, scope: scope, areas: areas, seeing: seeing)
    }
}
