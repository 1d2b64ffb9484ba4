import LoaAudio
import LoaProtocol

/// Answers a technician's `command`: volume through the output's `VolumeControl` (mixer or
/// software gain). Test tone, restart and log shipping are refused with a clear message until
/// the gateway implements them, so the console never waits for an answer that cannot come.
public struct GatewayCommands: Sendable {
    public let volume: (any VolumeControl)?

    public init(volume: (any VolumeControl)?) { self.volume = volume }

    public func run(_ command: Command) -> CommandResult {
        switch command.action {
        case .setVolume(let percent):
            guard let volume else { return CommandResult(id: command.id, ok: false, message: "this gateway has no volume control") }
            do {
                try volume.setVolume(Int(percent))
                let now = try volume.volume()
                return CommandResult(id: command.id, ok: true, message: "volume \(now)% (\(volume.kind.rawValue))")
            } catch {
                return CommandResult(id: command.id, ok: false, message: "cannot set volume: \(error)")
            }
        case .testTone:
            return CommandResult(id: command.id, ok: false, message: "test tone is not supported by this gateway version")
        case .restart:
            return CommandResult(id: command.id, ok: false, message: "restart is not supported by this gateway version; use systemctl restart loa-gateway")
        case .sendLogs:
            return CommandResult(id: command.id, ok: false, message: "log shipping is not supported by this gateway version; use journalctl -u loa-gateway")
        }
    }
}
