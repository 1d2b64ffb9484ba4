import Hummingbird
import NIOCore

/// Per-request state: the peer address (for the audit log and the login throttle) and, after
/// `AuthenticationMiddleware`, the caller.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller, or 401 when the route was reached without authentication (a wiring mistake).
    func requireCaller() throws(APIError) -> Caller {
        guard let caller else { throw .unauthorized("log in first (POST /api/v1/login) and send the token as 'Authorization: Bearer TOKEN'") }
        return caller
    }

    func origin() throws(APIError) -> AuditOrigin {
        AuditOrigin(actor: try requireCaller().user.username, address: remoteAddress)
    }
}
