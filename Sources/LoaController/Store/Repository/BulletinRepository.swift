/// Bulletins' metadata and lifecycle; their audio lives in the `ContentStore`.
public protocol BulletinRepository: Sendable {
    /// Stores a new draft created by `origin.actor`.
    func createBulletin(_ new: NewBulletin, origin: AuditOrigin) async throws(StoreError) -> Bulletin
    func bulletin(_ sha256: String) async throws(StoreError) -> Bulletin
    func bulletins(in state: BulletinState?) async throws(StoreError) -> [Bulletin]
    func retitleBulletin(_ sha256: String, title: String, origin: AuditOrigin) async throws(StoreError) -> Bulletin
    /// Moves the bulletin along draft → approved → archived; `origin.actor` becomes the approver.
    /// Approving or archiving bumps the schedule version of every gateway that schedules it.
    func transitionBulletin(_ sha256: String, to state: BulletinState, origin: AuditOrigin) async throws(StoreError) -> Bulletin
}
