#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in slices through one open descriptor, so that playing a long bulletin holds a
/// slice in memory rather than the whole file (an hour at 48 kbit/s is 21 MB; a gateway board
/// may have 256 MB in all).
public final class AudioFileReader {
    private let fd: Int32
    private let path: String
    /// The file's size when it was opened.
    public let byteCount: Int

    /// Opens `path` for reading; it must be a regular file.
    public init(path: String) throws(AudioFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .unreadable(path)
        }
        self.fd = fd
        self.path = path
        self.byteCount = Int(info.st_size)
    }

    deinit { close(fd) }

    /// The next slice of at most `count` bytes; empty at the end of the file.
    public func read(upTo count: Int) throws(AudioFileError) -> [UInt8] {
        var slice = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = slice.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path, String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
        }
        slice.removeLast(count - filled)
        return slice
    }

    /// At most `count` bytes from `offset`, without moving the position `read(upTo:)` uses;
    /// fewer only at the end of the file.
    public func read(at offset: Int, upTo count: Int) throws(AudioFileError) -> [UInt8] {
        var slice = [UInt8](repeating: 0, count: max(0, count))
        var filled = 0
        while filled < slice.count {
            let got = slice.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(offset + filled)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path, String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
        }
        slice.removeLast(slice.count - filled)
        return slice
    }
}
