import Logging

/// The gateway's log setup: stderr (journald under systemd) at the configured level, every line
/// also kept in a ring that the control socket serves (`loactl gateway logs`).
public enum GatewayLogging {
    /// Bootstraps swift-log once per process; returns the ring the control socket reads.
    public static func bootstrap(level: Logger.Level, capacity: Int = 1_000) -> LogRing {
        let ring = LogRing(capacity: capacity)
        LoggingSystem.bootstrap { label in
            var handler = TeeLogHandler(label: label, base: StreamLogHandler.standardError(label: label), ring: ring)
            handler.logLevel = level
            return handler
        }
        return ring
    }
}
