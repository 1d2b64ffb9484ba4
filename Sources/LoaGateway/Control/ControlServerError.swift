#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Why the control socket could not be opened. The daemon logs it and plays on without one.
public enum ControlServerError: Error, Hashable, Sendable, CustomStringConvertible {
    case pathTooLong(String)
    case directoryMissing(String)
    case inUse(String)
    case notASocket(String)
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .pathTooLong(let path):
            return "control socket path \(path) is longer than 107 bytes; choose a shorter control.socket"
        case .directoryMissing(let directory):
            return "directory \(directory) for the control socket does not exist (systemd's RuntimeDirectory=loa-gateway creates /run/loa-gateway); create it or set control.socket"
        case .inUse(let path):
            return "another process answers on \(path) (a second loa-gateway?); stop it or set another control.socket"
        case .notASocket(let path):
            return "\(path) exists and is not a socket; remove it or set another control.socket"
        case .system(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}
