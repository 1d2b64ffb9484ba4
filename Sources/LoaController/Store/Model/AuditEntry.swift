import Foundation

/// One line of the append-only audit log: who did what to what, when and from where.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    /// A dotted verb such as `"gateway.create"` or `"bulletin.approve"`.
    public var action: String
    public var target: String
    public var address: String?
    /// Extra facts as a JSON object.
    public var details: [String: String]

    public init(
        sequence: Int64, at: Date, actor: String, action: String, target: String,
        address: String?, details: [String: String]
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.address = address
        self.details = details
    }
}
