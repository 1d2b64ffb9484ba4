/// Why the fleet could not deliver something to a gateway.
public enum FleetError: Error, Equatable, Sendable, CustomStringConvertible {
    case offline(gatewayID: String)
    case sendFailed(gatewayID: String, reason: String)

    public var description: String {
        switch self {
        case .offline(let id):
            return "gateway '\(id)' is not connected; it gets its schedule when it reconnects, but commands and announcements need it online"
        case let .sendFailed(id, reason):
            return "gateway '\(id)': sending failed (\(reason)); the connection is being closed, retry when it is back"
        }
    }
}
