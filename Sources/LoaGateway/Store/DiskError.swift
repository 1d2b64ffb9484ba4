#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A failed file-system call in the gateway's state directory, with the path and the cause.
public enum DiskError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file system is full (ENOSPC or EDQUOT). What was already durable is still intact.
    case noSpace(path: String)
    /// Any other failure: the operation, the path and the `errno` text.
    case failed(operation: String, path: String, errno: Int32)

    static func from(errno code: Int32, operation: String, path: String) -> DiskError {
        if code == ENOSPC || code == EDQUOT { return .noSpace(path: path) }
        return .failed(operation: operation, path: path, errno: code)
    }

    public var description: String {
        switch self {
        case .noSpace(let path):
            return "disk full while writing \(path); free space or lower the cache quota"
        case .failed(let operation, let path, let code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
