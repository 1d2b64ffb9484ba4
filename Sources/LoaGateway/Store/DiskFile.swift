#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with the few durable operations the stores need: full writes,
/// fsync, size, reads. Closed on deinit, so dropping a writer mid-download is a clean stop.
///
/// Not Sendable: one owner at a time.
final class DiskFile {
    let path: String
    private let fd: Int32

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens for appending, creating the file when missing.
    static func openForAppend(_ path: String) throws(DiskError) -> DiskFile {
        try open(path, flags: O_WRONLY | O_CREAT | O_APPEND, operation: "open for append")
    }

    /// Creates a new file, truncating one left behind.
    static func create(_ path: String) throws(DiskError) -> DiskFile {
        try open(path, flags: O_WRONLY | O_CREAT | O_TRUNC, operation: "create")
    }

    static func openForReading(_ path: String) throws(DiskError) -> DiskFile {
        try open(path, flags: O_RDONLY, operation: "open")
    }

    private static func open(_ path: String, flags: Int32, operation: String) throws(DiskError) -> DiskFile {
        let fd = systemOpen(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DiskError.from(errno: errno, operation: operation, path: path) }
        return DiskFile(fd: fd, path: path)
    }

    /// Writes all of `bytes`, retrying short writes. On ENOSPC part of `bytes` may have been
    /// written: the file is then a longer prefix, never a corrupted one.
    func write(_ bytes: some ContiguousBytes) throws(DiskError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw DiskError.from(errno: failure, operation: "write", path: path) }
    }

    /// Flushes data and metadata to the device.
    func sync() throws(DiskError) {
        guard fsync(fd) == 0 else { throw DiskError.from(errno: errno, operation: "fsync", path: path) }
    }

    /// Current length in bytes.
    func size() throws(DiskError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DiskError.from(errno: errno, operation: "stat", path: path) }
        return UInt64(info.st_size)
    }

    /// Up to `count` bytes from the current position; empty at end of file.
    func read(upTo count: Int) throws(DiskError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw DiskError.from(errno: errno, operation: "read", path: path)
            }
            buffer.removeSubrange(got...)
            return buffer
        }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(DiskError) {
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw DiskError.from(errno: errno, operation: "truncate", path: path)
        }
    }
}

// File-scope wrappers: inside `DiskFile` the names `open`, `read` and `write` mean its members.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
