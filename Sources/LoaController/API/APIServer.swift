import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The HTTP API on its own listening socket, run by Hummingbird inside a ServiceGroup whose
/// graceful shutdown the daemon triggers on SIGTERM: the listener closes, requests in flight
/// finish, idle connections close.
public final class APIServer: Sendable {
    public let host: String
    public let port: Int
    let services: APIServices
    private let group: any EventLoopGroup
    private let logger: Logger
    private let running = NIOLockedValueBox<(ServiceGroup, Task<Void, any Error>)?>(nil)

    public init(host: String, port: Int, services: APIServices, group: any EventLoopGroup, logger: Logger) {
        self.host = host
        self.port = port
        self.services = services
        self.group = group
        self.logger = logger
    }

    /// Binds and starts serving; returns the bound port (useful when configured with 0).
    @discardableResult
    public func start() async throws -> Int {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: APIRouter.make(services),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? -1)
                boundContinuation.finish()
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await serviceGroup.run()
        }
        running.withLockedValue { $0 = (serviceGroup, task) }
        var port: Int?
        for await value in bound {
            port = value
            break
        }
        guard let port, port >= 0 else {
            // The group ended before the server ran: binding failed. Its error says why.
            try await task.value
            throw APIServerError.notStarted(host: host, port: self.port)
        }
        logger.info("listening for HTTP", metadata: ["listen.host": "\(host)", "listen.port": "\(port)"])
        return port
    }

    /// Stops accepting and waits for requests in flight.
    public func stop() async {
        guard let (group, task) = running.withLockedValue({ value in defer { value = nil }; return value }) else { return }
        await group.triggerGracefulShutdown()
        do {
            try await task.value
        } catch {
            logger.warning("HTTP server stopped with an error", metadata: ["error": "\(error)"])
        }
        logger.info("HTTP server stopped")
    }
}

/// Why the HTTP server did not start.
public enum APIServerError: Error, CustomStringConvertible {
    case notStarted(host: String, port: Int)

    public var description: String {
        switch self {
        case let .notStarted(host, port):
            return "the HTTP API could not listen on \(host):\(port) (http.listen); is another process using the port?"
        }
    }
}
