#if canImport(Glibc)
import Glibc
#endif

/// What the daemons need of a file and of stderr without Foundation (the gateway links
/// FoundationEssentials only, docs/ARCHITECTURE.md): a whole small file with the system's reason
/// when it cannot be read, and a line on stderr.
public enum PosixFile {
    /// The bytes of `path`, or the C library's words for why not ("No such file or directory",
    /// "Permission denied", "Is a directory").
    public static func read(path: String) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadFailure(errno: errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .success(bytes) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(errno: errno))
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes `text` to stderr, unbuffered, as one write where the system allows.
    public static func writeToStandardError(_ text: String) {
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0 { if errno == EINTR { continue } else { return } }
            remaining = remaining.dropFirst(written)
        }
    }

    /// Why a read failed, in the C library's words.
    public struct ReadFailure: Error, Sendable, CustomStringConvertible {
        public let errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }
}
