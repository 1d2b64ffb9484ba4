/// Everything the controller's store can refuse, each with a message an operator can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(kind: String, id: String)
    case alreadyExists(kind: String, id: String)
    case invalid(kind: String, id: String, reason: String)
    case bulletinTransitionRefused(sha256: String, from: BulletinState, to: BulletinState)
    case inUse(kind: String, id: String, reason: String)
    /// Well-formed, but at odds with what is stored (a gateway placed in a district, not a commune).
    case mismatch(kind: String, id: String, reason: String)
    case keyFile(path: String, reason: String)
    case secretUnreadable(gatewayID: String, keyFile: String)
    case content(reason: String)
    case constraint(String)
    case database(String)

    public var description: String {
        switch self {
        case let .notFound(kind, id):
            return "\(kind) '\(id)' does not exist"
        case let .alreadyExists(kind, id):
            return "\(kind) '\(id)' already exists"
        case let .invalid(kind, id, reason):
            return "\(kind) '\(id)': \(reason)"
        case let .bulletinTransitionRefused(sha256, from, to):
            if to == .draft {
                return "bulletin \(sha256.prefix(4))…: cannot return \(from.article) \(from.rawValue) bulletin to draft"
            }
            return "bulletin \(sha256.prefix(4))…: cannot \(to.verb) \(from.article) \(from.rawValue) bulletin"
        case let .inUse(kind, id, reason):
            return "\(kind) '\(id)' is in use: \(reason)"
        case let .mismatch(kind, id, reason):
            return "\(kind) '\(id)': \(reason)"
        case let .keyFile(path, reason):
            return "key file \(path): \(reason)"
        case let .secretUnreadable(gatewayID, keyFile):
            return "gateway '\(gatewayID)': its secret cannot be decrypted with key file \(keyFile); "
                + "is this the key file the controller was set up with?"
        case let .content(reason):
            return "content store: \(reason)"
        case let .constraint(message):
            return "refused by the database: \(message)"
        case let .database(message):
            return "database error: \(message)"
        }
    }
}
