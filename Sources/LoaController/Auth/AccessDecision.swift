/// The outcome of `AccessPolicy.decide`; a refusal says why, for the 403 message.
public enum AccessDecision: Sendable, Equatable {
    case allowed
    /// The role never may.
    case roleRefused(role: User.Role, action: APIAction)
    /// The role may, but not there.
    case outOfScope(areaID: String?)

    public var isAllowed: Bool { self == .allowed }

    public var message: String {
        switch self {
        case .allowed:
            return "allowed"
        case let .roleRefused(role, action):
            return "a user with role '\(role.rawValue)' may not \(action.phrase); ask an operator or an admin"
        case .outOfScope(let areaID?):
            return "area '\(areaID)' is outside your area; ask a user responsible for it"
        case .outOfScope(nil):
            return "this is system-wide, outside your area; ask an admin"
        }
    }
}

extension APIAction {
    var phrase: String {
        switch self {
        case .read: return "read this"
        case .manageUsers: return "manage users"
        case .manageAreas: return "change areas"
        case .manageGateways: return "register or change gateways"
        case .commandGateways: return "send commands to gateways"
        case .uploadBulletins: return "upload bulletins"
        case .reviewBulletins: return "approve or archive bulletins"
        case .schedule: return "change schedules"
        case .announce: return "push or stop announcements"
        case .readAudit: return "read the audit log"
        case .readMetrics: return "read the metrics"
        }
    }
}
