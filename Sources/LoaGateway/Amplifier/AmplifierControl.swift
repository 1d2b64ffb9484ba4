#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Switches the amplifier relay that powers the horns. Calls block briefly (a file write or a
/// short command); the player calls them from its own thread.
public protocol AmplifierControl: Sendable {
    /// What the health report and logs call it.
    var kind: String { get }
    func set(on: Bool) throws(AmplifierError)
}

/// Why the amplifier could not be switched.
public enum AmplifierError: Error, Equatable, Sendable, CustomStringConvertible {
    case gpioWrite(path: String, errno: Int32)
    case commandFailed(command: String, status: Int32)
    case commandNotStarted(command: String, reason: String)

    public var description: String {
        switch self {
        case let .gpioWrite(path, code):
            return "amplifier: cannot write \(path): \(String(cString: strerror(code))); is the GPIO exported and writable by the loa user?"
        case let .commandFailed(command, status):
            return "amplifier: '\(command)' exited with status \(status)"
        case let .commandNotStarted(command, reason):
            return "amplifier: cannot run '\(command)': \(reason)"
        }
    }
}

/// No relay: the amplifier is always on (or switched by hand).
public struct NoAmplifier: AmplifierControl {
    public init() {}
    public var kind: String { "none" }
    public func set(on: Bool) throws(AmplifierError) {}
}

/// A relay on a GPIO line: writes "1" or "0" to its sysfs `value` file.
public struct GPIOFileAmplifier: AmplifierControl {
    public let path: String
    public init(path: String) { self.path = path }
    public var kind: String { "gpio" }

    public func set(on: Bool) throws(AmplifierError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .gpioWrite(path: path, errno: errno) }
        defer { close(fd) }
        let byte: [UInt8] = on ? [0x31, 0x0A] : [0x30, 0x0A]
        guard write(fd, byte, byte.count) == byte.count else { throw .gpioWrite(path: path, errno: errno) }
    }
}

/// A relay switched by site-specific commands (a USB relay tool, an MQTT publish, …), run by
/// `/bin/sh -c`. The command must finish quickly; the player waits for it.
public struct CommandAmplifier: AmplifierControl {
    public let onCommand: String
    public let offCommand: String
    public init(onCommand: String, offCommand: String) {
        self.onCommand = onCommand
        self.offCommand = offCommand
    }
    public var kind: String { "command" }

    public func set(on: Bool) throws(AmplifierError) {
        let command = on ? onCommand : offCommand
        let status: Int32
        do { status = try ShellCommand.run(command) } catch {
            throw .commandNotStarted(command: command, reason: "\(error)")
        }
        guard status == 0 else { throw .commandFailed(command: command, status: status) }
    }
}

extension GatewayConfiguration {
    /// The amplifier control the config describes (validated: the fields exist for the mode).
    public func makeAmplifier() -> any AmplifierControl {
        switch amplifier.mode {
        case "gpio": GPIOFileAmplifier(path: amplifier.gpioValueFile ?? "")
        case "command": CommandAmplifier(onCommand: amplifier.onCommand ?? "true", offCommand: amplifier.offCommand ?? "true")
        default: NoAmplifier()
        }
    }
}
