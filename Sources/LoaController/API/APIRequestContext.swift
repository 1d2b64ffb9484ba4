import Hummingbird
import NIOCore

/// Per-request state: the peer address (for the audit log and the login throttle) and, after
/// `AuthenticationMiddleware`, the caller.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?
    public var caller: Caller?
    /// The request's connection: a live source's is closed when its stream is stopped.
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        channel = source.channel
    }

    /// For a refused streaming upload (a live source): once the answer is written, the
    /// connection closes instead of reading the rest of an endless body. Closing the input is
    /// what Hummingbird itself does on cancellation; the response still goes out.
    func closeConnectionAfterResponse() {
        channel?.close(mode: .input, promise: nil)
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
