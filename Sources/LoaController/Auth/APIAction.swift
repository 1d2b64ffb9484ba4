/// What an API request asks to do; `AccessPolicy` decides who may.
public enum APIAction: String, Sendable, CaseIterable {
    /// List and read areas, gateways, bulletins, schedules, announcements and the play log in scope.
    case read
    case manageUsers
    /// Create, rename and move areas below one's own.
    case manageAreas
    /// Register, rename, move gateways and rotate their secrets.
    case manageGateways
    /// Volume, test tone, restart, logs.
    case commandGateways
    case uploadBulletins
    /// Approve and archive bulletins.
    case reviewBulletins
    /// Create and delete schedule entries.
    case schedule
    /// Push and stop announcements.
    case announce
    case readAudit
    /// `/metrics` when `http.metrics_public` is false.
    case readMetrics
}
