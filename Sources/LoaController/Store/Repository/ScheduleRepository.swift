/// Schedule entries and what each gateway should have.
public protocol ScheduleRepository: Sendable {
    func createScheduleEntry(_ rule: ScheduleRule, origin: AuditOrigin) async throws(StoreError) -> ScheduleEntry
    func scheduleEntry(_ id: Int64) async throws(StoreError) -> ScheduleEntry
    /// Every entry, by id.
    func allScheduleEntries() async throws(StoreError) -> [ScheduleEntry]
    func updateScheduleEntry(_ id: Int64, rule: ScheduleRule, origin: AuditOrigin) async throws(StoreError) -> ScheduleEntry
    func deleteScheduleEntry(_ id: Int64, origin: AuditOrigin) async throws(StoreError)
    /// Entries aimed at the gateway directly or at its commune or any area above it. With
    /// `approvedOnly`, only those whose bulletin is approved: what the gateway should be sent.
    func scheduleEntries(forGateway id: String, approvedOnly: Bool) async throws(StoreError) -> [ScheduleEntry]
    /// Gateways in the area or below it — those whose schedule a change aimed at the area touches.
    /// Walks the area tree and the gateway-by-area index; it does not scan all gateways.
    func gatewaysAffected(byChangeToArea areaID: String) async throws(StoreError) -> [String]
}
