import Foundation
import Logging
import Synchronization

/// What the API handlers work with: the store, the content, the fleet (through `FleetControl`,
/// what the API may ask of it), ingest, metrics and the login throttle, plus an injectable clock.
public final class APIServices: Sendable {
    public let store: any ControllerStore
    public let content: ContentStore
    public let fleet: any FleetControl
    public let ingest: BulletinIngest
    public let metrics: ControllerMetrics
    public let settings: APISettings
    /// Told when a secret is rotated, so the next handshake reads the new one.
    public let secrets: GatewaySecretCache?
    /// Live streams: their registry and relay to the gateways.
    public let live: LiveHub
    /// Browser microphones feeding live streams segment by segment.
    public let browserSources: BrowserSources
    public let now: @Sendable () -> Date
    public let logger: Logger
    /// The link to the level above and below (nil: neither is configured) and its state.
    public let link: LinkSettings?
    public let linkMonitor: LinkMonitor
    let throttle = Mutex(LoginThrottle())

    public init(store: any ControllerStore, content: ContentStore, fleet: GatewayFleet, ingest: BulletinIngest,
                metrics: ControllerMetrics, settings: APISettings, secrets: GatewaySecretCache? = nil, live: LiveHub? = nil,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger, link: LinkSettings? = nil, linkMonitor: LinkMonitor? = nil) {
        self.store = store
        self.content = content
        self.fleet = fleet
        self.ingest = ingest
        self.metrics = metrics
        self.settings = settings
        self.secrets = secrets
        // Live timing runs on the real clock: presentation times are wall-clock instants.
        let hub = live ?? LiveHub(fleet: fleet, settings: LiveSettings(encoder: ingest.pipeline.settings.encoder), logger: logger)
        self.live = hub
        self.browserSources = BrowserSources(hub: hub, logger: logger)
        self.now = now
        self.logger = logger
        self.link = link
        self.linkMonitor = linkMonitor ?? LinkMonitor(settings: link)
    }

    /// The caller's scope: everything without an area, else the area's subtree and ancestors.
    func scope(for user: User) async throws(StoreError) -> AreaScope {
        guard let areaID = user.areaID else { return .everything }
        let subtree = try await store.subtree(of: areaID).map(\.id)
        let ancestors = try await store.ancestors(of: areaID).map(\.id)
        return AreaScope(root: areaID, subtree: Set(subtree), ancestors: Set(ancestors))
    }
}
