/// The append-only audit log. Store changes are audited by the store itself; commands that do not
/// change the store (volume, test tone, restart) are appended by whoever sends them.
public protocol AuditRepository: Sendable {
    func appendAudit(action: String, target: String, details: [String: String], origin: AuditOrigin) async throws(StoreError)
    /// Entries after the given sequence number, oldest first.
    func auditEntries(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEntry]
    /// A page of entries as the query asks (filters, order, cursor).
    func auditEntries(_ query: AuditQuery) async throws(StoreError) -> [AuditEntry]
}
