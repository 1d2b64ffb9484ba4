import Foundation

/// Gateways and their secrets.
public protocol GatewayRepository: Sendable {
    /// Creates the gateway with a fresh secret, returned in clear this once.
    func createGateway(
        id: String, name: String, areaID: String, location: Gateway.Location?, origin: AuditOrigin
    ) async throws(StoreError) -> GatewayRegistration
    func gateway(_ id: String) async throws(StoreError) -> Gateway
    /// Every gateway, by id.
    func allGateways() async throws(StoreError) -> [Gateway]
    /// Gateways in the area or anywhere below it, by id.
    func gateways(inSubtreeOf areaID: String) async throws(StoreError) -> [Gateway]
    /// Changes name, commune (a move bumps the schedule version) and location.
    func updateGateway(
        _ id: String, name: String, areaID: String, location: Gateway.Location?, origin: AuditOrigin
    ) async throws(StoreError) -> Gateway
    /// Replaces the secret; the new one is returned in clear this once.
    func rotateGatewaySecret(_ id: String, origin: AuditOrigin) async throws(StoreError) -> GatewaySecret
    /// The secret for verifying the gateway's handshake; never for showing to a person.
    func handshakeSecret(for id: String) async throws(StoreError) -> GatewaySecret
    /// Every gateway's handshake secret, by id, in one read: the secret cache's fill at start.
    func allHandshakeSecrets() async throws(StoreError) -> [String: GatewaySecret]
    /// Records the gateway as seen (a report from it): its last-seen time, and its open
    /// presence span (`ReportRepository`) extended.
    func markGatewaySeen(_ id: String, at: Date) async throws(StoreError)
    /// The same for many gateways in one transaction (a shutdown's drain), their presence spans
    /// closed; unknown ids are skipped.
    func markGatewaysSeen(_ ids: [String], at: Date) async throws(StoreError)
}
