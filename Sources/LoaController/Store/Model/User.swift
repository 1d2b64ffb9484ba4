import Foundation

/// A person who uses the console, the API or `loactl`.
public struct User: Sendable, Equatable, Identifiable {
    /// What a user may do; the HTTP layer maps roles to endpoints.
    public enum Role: String, Sendable, CaseIterable {
        case admin, `operator`, broadcaster, technician

        /// Roles that act for one area only and so must have one: a broadcaster runs one
        /// commune's station. Operators and technicians may work system-wide.
        public var needsArea: Bool { self == .broadcaster }
    }

    public var username: String
    public var role: Role
    /// The area the user acts within; `nil` means the whole system.
    public var areaID: String?
    public var createdAt: Date
    /// Set while an admin has disabled the account: it cannot log in and holds no token.
    public var disabledAt: Date?

    public var id: String { username }
    public var isDisabled: Bool { disabledAt != nil }

    public init(username: String, role: Role, areaID: String?, createdAt: Date, disabledAt: Date? = nil) {
        self.username = username
        self.role = role
        self.areaID = areaID
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}
