import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing
@testable import LoaController

/// The API over a real SQLite file in a temp directory, with the gateway server on 127.0.0.1
/// (so announcements and commands reach gateway ends built from LoaProtocol). One user per role:
///
///     admin          admin        (no area)
///     op-cam-xuyen   operator     cam-xuyen (district: xa-tan-lap, xa-cam-binh)
///     bt-tan-lap     broadcaster  xa-tan-lap
///     tech-tan-lap   technician   xa-tan-lap
///     op-nghe-an     operator     nghe-an (another province)
struct APIHarness {
    let dir: ScratchDirectory
    let database: ControllerDatabase
    let content: ContentStore
    let fleet: GatewayFleet
    let server: GatewayServer
    let group: MultiThreadedEventLoopGroup
    let services: APIServices
    let clock: TestClock
    let gatewayPort: Int
    /// Username → bearer token.
    let tokens: [String: String]

    static let users: [(name: String, role: User.Role, area: String?)] = [
        ("admin", .admin, nil), ("op-cam-xuyen", .operator, "cam-xuyen"), ("bt-tan-lap", .broadcaster, "xa-tan-lap"),
        ("tech-tan-lap", .technician, "xa-tan-lap"), ("op-nghe-an", .operator, "nghe-an"),
    ]
    static let password = "correct horse battery"

    static func start(settings: APISettings = APISettings(maxUploadBytes: 4 << 20, commandWaitSeconds: 3),
                      maxIngestBytes: Int = 8 << 20, ingestQueue: IngestQueue = IngestQueue(),
                      live: LiveSettings? = nil) async throws -> APIHarness {
        let dir = try ScratchDirectory("loa-api")
        let clock = TestClock(Date())
        let database = try ControllerDatabase.open(
            path: dir.path("controller.sqlite"), vault: try GatewaySecretVault(keyFile: dir.url.appendingPathComponent("secrets.key")),
            options: .init(passwordHasher: .fastForTests, now: { clock.now }, logger: TestLog.quiet))
        for area in StoreFixture.areas { try await database.createArea(area, origin: .controller) }
        for gateway in StoreFixture.gateways {
            _ = try await database.createGateway(id: gateway.id, name: gateway.id, areaID: gateway.area, location: nil, origin: .controller)
        }
        var tokens: [String: String] = [:]
        for user in users {
            _ = try await database.createUser(username: user.name, password: password, role: user.role, areaID: user.area, origin: .controller)
            let token = LoginToken.random()
            try await database.storeToken(sha256: token.sha256, username: user.name, expiresAt: clock.now.addingTimeInterval(3600), address: nil)
            tokens[user.name] = token.value
        }
        let content = try ContentStore(root: dir.url.appendingPathComponent("content"))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let metrics = ControllerMetrics()
        let fleet = GatewayFleet(store: database, content: content, metrics: metrics, logger: TestLog.quiet)
        let secrets = GatewaySecretCache(store: database, logger: TestLog.quiet)
        let server = GatewayServer(configuration: .init(host: "127.0.0.1", port: 0, heartbeatSeconds: 30, offlineAfterSeconds: 90),
                                   fleet: fleet, secrets: secrets, group: group, logger: TestLog.quiet)
        let port = try await server.start()
        let ingest = BulletinIngest(pipeline: IngestPipeline(settings: IngestSettings(maxUploadBytes: maxIngestBytes)), content: content,
                                    bulletins: database, approvalRequired: settings.approvalRequired, queue: ingestQueue,
                                    logger: TestLog.quiet)
        let hub = live.map { LiveHub(fleet: fleet, settings: $0, logger: TestLog.quiet) }
        let services = APIServices(store: database, content: content, fleet: fleet, ingest: ingest, metrics: metrics,
                                   settings: settings, secrets: secrets, live: hub, now: { clock.now }, logger: TestLog.quiet)
        return APIHarness(dir: dir, database: database, content: content, fleet: fleet, server: server, group: group,
                          services: services, clock: clock, gatewayPort: port, tokens: tokens)
    }

    func stop() async {
        await server.stop()
        try? await group.shutdownGracefully()
        dir.cleanup()
    }

    var router: Router<APIRequestContext> { APIRouter.make(services) }

    /// Runs `body` against the router in process (no socket), or with `live` on a real socket on
    /// 127.0.0.1 (`APIClient.port`, for programs that read a URL), then stops everything.
    func run(live: Bool = false, _ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestLog.quiet)
        do {
            try await app.test(live ? .live : .router) { client in try await body(APIClient(client: client, tokens: tokens)) }
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Approved by the admin unless `approve` is false; stored through the real ingest.
    func bulletin(seconds: Double = 1, frequency: Double = 440, approve: Bool = true, by user: String = "bt-tan-lap") async throws -> Bulletin {
        let outcome = try await services.ingest.ingest(TestAudio.wav(seconds: seconds, frequency: frequency), title: "Bản tin \(Int(frequency))",
                                                       origin: AuditOrigin(actor: user))
        guard approve else { return outcome.bulletin }
        return try await database.transitionBulletin(outcome.bulletin.sha256, to: .approved, origin: AuditOrigin(actor: "admin"))
    }
}

/// A test client that speaks as one of the harness users and decodes JSON answers.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let tokens: [String: String]

    /// The API's port in a live run (`APIHarness.run(live: true)`).
    var port: Int? { client.port }

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPFields
        let body: Data

        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// `as` names a harness user (nil: no token); `json` is sent as the body verbatim.
    func call(_ method: HTTPRequest.Method, _ path: String, as user: String? = "admin", json: String? = nil,
              body: [UInt8]? = nil, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        if let user { headers[.authorization] = "Bearer \(tokens[user] ?? user)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(string: json)
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: buffer)
        return Answer(status: Int(response.status.code), headers: response.headers,
                      body: response.body.readableBytes > 0 ? Data(response.body.readableBytesView) : Data())
    }
}
