/// Gateway health: the latest report per gateway and a bounded history.
public protocol HealthRepository: Sendable {
    /// Stores the sample as the gateway's latest and in its history, pruning the oldest beyond the limit.
    func recordHealth(_ sample: HealthSample) async throws(StoreError)
    /// Many gateways' reports in one transaction (the fleet's batched writes), each as
    /// `recordHealth`, each gateway marked seen at its sample's time.
    func recordHealthReports(_ samples: [HealthSample]) async throws(StoreError)
    func latestHealth(of gatewayID: String) async throws(StoreError) -> HealthSample?
    /// The latest sample of every gateway that has reported, by gateway id.
    func allLatestHealth() async throws(StoreError) -> [HealthSample]
    /// The latest sample of every gateway in the area or below it that has reported, by gateway id.
    func latestHealth(inSubtreeOf areaID: String) async throws(StoreError) -> [HealthSample]
    /// Newest first.
    func healthHistory(of gatewayID: String, limit: Int) async throws(StoreError) -> [HealthSample]
}
