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
    /// The bulletin an identical upload (SHA-256 of the bytes received) became under `profile`.
    func bulletin(forUpload uploadSHA256: String, profile: String) async throws(StoreError) -> Bulletin?
    /// Remembers that this upload became this bulletin under `profile`.
    func recordUpload(_ uploadSHA256: String, profile: String, bulletin sha256: String) async throws(StoreError)
}
