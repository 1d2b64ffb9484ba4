#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The gateway's current schedule on disk, under `<state>/schedule/`:
///
///     current.schedule    the last complete version (see `ScheduleFileFormat`)
///     previous.schedule   the version before it, used only if `current` is damaged
///     *.tmp               a write torn by a crash; removed at startup
///
/// Every write is atomic (temp file in the same directory, fsync, rename, fsync directory),
/// so after a crash at any instant `current.schedule` is one complete version.
///
/// Blocking file I/O: call from a thread that may block, not from an event loop.
public struct ScheduleStore: Sendable {
    public let directory: String
    private let logger: Logger

    var currentPath: String { directory + "/current.schedule" }
    var previousPath: String { directory + "/previous.schedule" }

    /// Opens (creating when missing) the schedule directory and removes torn temp files.
    public init(directory: String, logger: Logger = Logger(label: "loa.gateway.schedule")) throws(ScheduleStoreError) {
        self.directory = directory
        self.logger = logger
        do {
            try DiskFile.makeDirectory(directory)
            for name in DiskFile.list(directory) where name.hasSuffix(".tmp") {
                logger.notice("removing a torn schedule write", metadata: ["file": "\(name)"])
                try DiskFile.remove(directory + "/" + name)
            }
        } catch {
            throw .disk(error)
        }
    }

    /// The last complete version, or nil when none was ever stored. Falls back to the previous
    /// version when the current file is damaged (and logs why).
    public func load() throws(ScheduleStoreError) -> StoredSchedule? {
        var defects: [String] = []
        for path in [currentPath, previousPath] {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            switch ScheduleFileFormat.decode([UInt8](bytes)) {
            case .success(let schedule):
                if !defects.isEmpty {
                    logger.error("current schedule damaged; using the previous version", metadata: ["schedule.version": "\(schedule.version)"])
                }
                return schedule
            case .failure(let defect):
                defects.append("\(path): \(defect)")
            }
        }
        if defects.isEmpty { return nil }
        throw .damaged(defects)
    }

    /// When the current version was stored (its file's modification time, system clock); nil
    /// when none is. Occurrences before it were never this gateway's to play.
    public func storedAt() -> Date? { DiskFile.status(currentPath)?.modified }

    /// Stores `schedule` durably if it is newer than what is stored; returns the decision.
    @discardableResult
    public func save(_ schedule: StoredSchedule) throws(ScheduleStoreError) -> ScheduleUpdate {
        let stored = try? load()?.version
        let decision = ScheduleUpdate.decide(stored: stored, incoming: schedule.version)
        guard decision == .store else { return decision }
        do {
            try keepPrevious()
            try DiskFile.writeAtomically(ScheduleFileFormat.encode(schedule), to: currentPath)
        } catch {
            throw .disk(error)
        }
        return decision
    }

    /// Hard-links `current` as `previous` (atomically, through a temp name), so `previous` is
    /// always a complete file too.
    private func keepPrevious() throws(DiskError) {
        guard FileManager.default.fileExists(atPath: currentPath) else { return }
        let temp = previousPath + ".link.tmp"
        try DiskFile.remove(temp)
        guard link(currentPath, temp) == 0 else {
            throw DiskError.from(errno: errno, operation: "link", path: temp)
        }
        try DiskFile.rename(temp, to: previousPath)
    }
}
