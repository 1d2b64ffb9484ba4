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

/// Directory-level operations: the renames and directory fsyncs that make a write durable.
extension DiskFile {
    /// Makes the directory's entries (creations, renames, unlinks) durable.
    static func syncDirectory(_ path: String) throws(DiskError) {
        let fd = systemOpenDirectory(path)
        guard fd >= 0 else { throw DiskError.from(errno: errno, operation: "open directory", path: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DiskError.from(errno: errno, operation: "fsync directory", path: path) }
    }

    /// Atomically replaces `destination` with `source` (same file system).
    static func rename(_ source: String, to destination: String) throws(DiskError) {
        guard systemRename(source, destination) == 0 else {
            throw DiskError.from(errno: errno, operation: "rename to \(destination):", path: source)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws(DiskError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw DiskError.from(errno: errno, operation: "remove", path: path)
        }
    }

    /// Creates the directory (and parents) when missing.
    static func makeDirectory(_ path: String) throws(DiskError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .failed(operation: "create directory", path: path, errno: EIO)
        }
    }

    /// Names in the directory, sorted; a missing directory lists as empty.
    static func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// Size and modification time, or nil when the file is missing.
    static func status(_ path: String) -> (size: UInt64, modified: Date)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return (UInt64(info.st_size), Date(timeIntervalSince1970: seconds))
    }

    /// Sets the modification time (the cache's "last used").
    static func setModified(_ path: String, to date: Date) throws(DiskError) {
        let seconds = date.timeIntervalSince1970
        var times = [timespec](repeating: timespec(), count: 2)
        times[0].tv_sec = Int(seconds); times[0].tv_nsec = Int((seconds - seconds.rounded(.down)) * 1e9)
        times[1] = times[0]
        guard utimensat(AT_FDCWD, path, times, 0) == 0 else {
            throw DiskError.from(errno: errno, operation: "set modification time", path: path)
        }
    }

    /// Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, rename,
    /// fsync of the directory. A crash leaves either the old file or the new one, plus at most
    /// a stray `*.tmp` that the owner removes at startup.
    static func writeAtomically(_ bytes: some ContiguousBytes, to path: String) throws(DiskError) {
        let directory = PathText.directory(of: path)
        let temp = path + ".\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
        do {
            let file = try DiskFile.create(temp)
            try file.write(bytes)
            try file.sync()
            try rename(temp, to: path)
        } catch {
            try? remove(temp)
            throw error
        }
        try syncDirectory(directory)
    }
}

private func systemOpenDirectory(_ path: String) -> Int32 { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
