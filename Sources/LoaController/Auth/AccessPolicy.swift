/// Who may do what, in one place: a table of role × action, and the area-scope rule. Pure, so
/// it is tested directly; every API handler asks it before touching the store.
public enum AccessPolicy {
    /// The actions each role may take at all (scope aside).
    public static let table: [User.Role: Set<APIAction>] = [
        .admin: Set(APIAction.allCases),
        .operator: [.read, .manageUsers, .manageAreas, .manageGateways, .commandGateways, .uploadBulletins,
                    .reviewBulletins, .schedule, .announce, .readAudit],
        .broadcaster: [.read, .uploadBulletins, .schedule],
        .technician: [.read, .commandGateways],
    ]

    public static func allows(_ role: User.Role, _ action: APIAction) -> Bool {
        table[role]?.contains(action) ?? false
    }

    /// Allowed when the role may take the action and every area it touches is in scope:
    /// covered (at or below the user's area) for changes, or visible (also the areas above) for
    /// reads when `seeing` is true. A nil area stands for something system-wide.
    public static func decide(_ action: APIAction, role: User.Role, scope: AreaScope,
                              areas: [String?] = [], seeing: Bool = false) -> AccessDecision {
        guard allows(role, action) else { return .roleRefused(role: role, action: action) }
        for area in areas where !(seeing ? scope.canSee(area) : scope.covers(area)) {
            return .outOfScope(areaID: area)
        }
        return .allowed
    }

    /// The roles a user of `role` may give others: an admin any, an operator any but admin.
    public static func assignableRoles(by role: User.Role) -> Set<User.Role> {
        switch role {
        case .admin: return Set(User.Role.allCases)
        case .operator: return [.operator, .broadcaster, .technician]
        case .broadcaster, .technician: return []
        }
    }
}
