/// The administrative tree of provinces, districts and communes.
public protocol AreaRepository: Sendable {
    func createArea(_ area: Area, origin: AuditOrigin) async throws(StoreError)
    func area(_ id: String) async throws(StoreError) -> Area
    /// Every area, parents before children (provinces, then districts, then communes), by id within a level.
    func allAreas() async throws(StoreError) -> [Area]
    /// Renames or moves an area; moving bumps the schedule version of every gateway below it.
    func updateArea(_ area: Area, origin: AuditOrigin) async throws(StoreError)
    /// The area and everything below it, parents before children.
    func subtree(of id: String) async throws(StoreError) -> [Area]
    /// The area's ancestors, nearest first (commune → district → province), without the area.
    func ancestors(of id: String) async throws(StoreError) -> [Area]
}
