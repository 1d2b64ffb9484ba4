import Foundation

/// When gateways were connected, and the raw facts a period report is built from.
public protocol ReportRepository: Sendable {
    /// A session began: the gateway's last span is extended when it ended less than a minute
    /// before (a reconnect), otherwise a new one opens. Spans over 400 days old are pruned.
    func gatewayConnected(_ id: String, at: Date) async throws(StoreError)
    /// The session ended: its span closes at `at`.
    func gatewayDisconnected(_ id: String, at: Date) async throws(StoreError)
    /// Many sessions begun and ended, in order, in one transaction (the fleet's batched writes).
    func recordPresence(_ changes: [PresenceChange]) async throws(StoreError)
    /// Everything `PeriodReport.build` reads about these gateways in `interval`: lives whose
    /// first event falls in it, spans that overlap it, uptime reports up to a day after it,
    /// and where the items came from.
    func reportFacts(gatewayIDs: [String], in interval: DateInterval) async throws(StoreError) -> ReportFacts
}

/// A session of `gatewayID` began (`connected`) or ended at `at`.
public struct PresenceChange: Equatable, Sendable {
    public var gatewayID: String
    public var at: Date
    public var connected: Bool

    public init(gatewayID: String, at: Date, connected: Bool) {
        self.gatewayID = gatewayID
        self.at = at
        self.connected = connected
    }
}
