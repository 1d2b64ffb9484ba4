/// Who asks for a change and from where; every change the store makes is audited with it.
public struct AuditOrigin: Sendable, Equatable {
    /// A username, or a daemon name such as `"loa-controller"`.
    public var actor: String
    /// The remote address the request came from, when there was one.
    public var address: String?

    public init(actor: String, address: String? = nil) {
        self.actor = actor
        self.address = address
    }

    /// Changes the controller makes on its own.
    public static let controller = AuditOrigin(actor: "loa-controller")
}
