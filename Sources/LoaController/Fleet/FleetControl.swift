import LoaProtocol

/// What the API asks of the gateway fleet, and nothing more: schedule pushes after a change,
/// who a target reaches, a technician's command, announcements and their stop, and who is
/// online. The fleet's store, registry, metrics and connections stay behind it.
public protocol FleetControl: Sendable {
    /// Re-pushes the schedule to those of `gatewayIDs` that are connected, if its version moved.
    func notifyScheduleChanged(gatewayIDs: [String])
    /// The same for every gateway in `areaID`'s subtree.
    func notifyScheduleChanged(area areaID: String) async throws(StoreError)
    /// The gateways a target reaches: those under its areas and those it names.
    func gatewayIDs(reachedBy target: BroadcastTarget) async throws(StoreError) -> [String]
    /// Sends a command and waits up to `waitSeconds` for its result (nil when it did not come).
    func send(_ action: CommandAction, to gatewayID: String, origin: AuditOrigin,
              waitSeconds: Double) async throws(FleetError) -> (id: String, result: CommandResult?)
    /// Sends a stored announcement to every targeted gateway that is online.
    func push(_ announcement: Announcement) async throws(StoreError) -> GatewayFleet.Delivery
    /// Tells every targeted online gateway to stop the announcement.
    func stopPlaying(_ announcement: Announcement) async throws(StoreError) -> GatewayFleet.Delivery
    func isOnline(_ gatewayID: String) -> Bool
    var onlineCount: Int { get }
    /// Word of gateways whose state changed, for the live fleet view.
    var changes: FleetChanges { get }
}

/// What the live hub needs of the fleet: the connection that serves a gateway now, word of each
/// gateway that becomes ready, and the counters of what it wrote or dropped.
public protocol LiveAudience: Sendable {
    func connection(for gatewayID: String) -> GatewayConnection?
    /// `observer` is told of each gateway that completes its handshake, after its schedule and
    /// announcements.
    func whenGatewayReady(_ observer: @escaping @Sendable (GatewayConnection) async -> Void)
    func countLiveSent(_ type: FrameType)
    func countLiveDropped(gatewayID: String)
    func countRelaySilent()
    /// A listener of a listen URL fell too far behind and was cut loose.
    func countListenerCut()
}

extension GatewayFleet: FleetControl, LiveAudience {
    public func isOnline(_ gatewayID: String) -> Bool { registry.isOnline(gatewayID) }
    public var onlineCount: Int { registry.count }
    public func connection(for gatewayID: String) -> GatewayConnection? { registry.link(for: gatewayID) }
    public func countLiveSent(_ type: FrameType) { metrics.messageSent(type: type.name) }
    public func countLiveDropped(gatewayID: String) { metrics.livePayloadDropped(gatewayID: gatewayID) }
    public func countRelaySilent() { metrics.relaySilent() }
    public func countListenerCut() { metrics.listenerCut() }
}
