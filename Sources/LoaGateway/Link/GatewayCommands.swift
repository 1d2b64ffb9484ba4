import LoaAudio
import LoaProtocol

/// Answers a technician's `command` from the controller: volume (mixer or software gain, stored
/// so it survives a restart) and a test tone through the player, both via `GatewayActions`, and
/// the daemon's recent log lines (the ring the control socket's `logs` reads). Restart is
/// refused with a clear message, so the console never waits for an answer that cannot come.
public struct GatewayCommands: Sendable {
    public let volume: (any VolumeControl)?
    public let actions: GatewayActions?
    /// The daemon's recent log lines; nil: log shipping refused.
    public let logs: LogRing?
    /// The most bytes of log lines one answer carries (the newest kept), well inside a frame.
    public static let logBytesLimit = 256 * 1024

    /// Volume only, not persisted, no test tone (for a link without a player's actions).
    public init(volume: (any VolumeControl)?, logs: LogRing? = nil) {
        self.volume = volume
        self.actions = nil
        self.logs = logs
    }

    public init(actions: GatewayActions, logs: LogRing? = nil) {
        self.volume = actions.volume
        self.actions = actions
        self.logs = logs
    }

    public func run(_ command: Command) -> CommandResult {
        switch command.action {
        case .setVolume(let percent):
            if let actions {
                do {
                    let report = try actions.setVolume(Int(percent))
                    return CommandResult(id: command.id, ok: true, message: "volume \(report.percent)% (\(report.kind))")
                } catch {
                    return CommandResult(id: command.id, ok: false, message: "\(error)")
                }
            }
            guard let volume else { return CommandResult(id: command.id, ok: false, message: "this gateway has no volume control") }
            do {
                try volume.setVolume(Int(percent))
                let now = try volume.volume()
                return CommandResult(id: command.id, ok: true, message: "volume \(now)% (\(volume.kind.rawValue))")
            } catch {
                return CommandResult(id: command.id, ok: false, message: "cannot set volume: \(error)")
            }
        case .testTone(let frequencyHz, let durationMs):
            guard let actions else {
                return CommandResult(id: command.id, ok: false, message: "test tone is not available on this link")
            }
            guard (20...20_000).contains(frequencyHz), (100...60_000).contains(durationMs) else {
                return CommandResult(id: command.id, ok: false,
                                     message: "test tone refused: frequency must be 20–20000 Hz and duration 100–60000 ms, got \(frequencyHz) Hz, \(durationMs) ms")
            }
            let report = actions.testTone(frequencyHz: Int(frequencyHz), durationMs: Int64(durationMs))
            return CommandResult(id: command.id, ok: true,
                                 message: "test tone \(report.frequencyHz) Hz for \(report.durationMs) ms queued as \(report.itemId)")
        case .restart:
            return CommandResult(id: command.id, ok: false, message: "restart is not supported by this gateway version; use systemctl restart loa-gateway")
        case .sendLogs(let lines):
            guard let logs else {
                return CommandResult(id: command.id, ok: false, message: "this gateway keeps no log lines in memory; use journalctl -u loa-gateway")
            }
            var kept: [String] = []
            var bytes = 0
            for line in logs.last(Int(min(lines, 10_000))).reversed() {
                bytes += line.utf8.count + 1
                if bytes > Self.logBytesLimit { break }
                kept.append(line)
            }
            return CommandResult(id: command.id, ok: true, message: "\(kept.count) log lines", output: kept.reversed().joined(separator: "\n"))
        }
    }
}
