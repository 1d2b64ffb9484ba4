/// What a daemon does between start and stop; `DaemonService` runs it inside a `ServiceGroup`
/// with the same signals, sd_notify and watchdog for both daemons.
public protocol Daemon: Sendable {
    /// Brings every part up; throws naming what to fix. When it returns, the daemon is ready
    /// (systemd is told READY=1 with `status`).
    func start() async throws
    /// SIGHUP (systemd's ExecReload): re-read what can change without a restart.
    func reload() async
    /// Takes every part down, in reverse order of start.
    func stop() async
    /// One line for systemd's STATUS= once started.
    var status: String { get }
}
