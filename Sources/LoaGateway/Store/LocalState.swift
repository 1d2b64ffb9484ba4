#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Everything the gateway keeps on disk, under one state directory:
///
///     <root>/schedule/    ScheduleStore (current.schedule, previous.schedule)
///     <root>/cache/       ContentCache verified files; partial/ and quarantine/ beside it
///     <root>/outbox.sqlite (+ -wal, -shm)   Outbox
///     <root>/announcements.json   AnnouncementStore (announcements received, how far each got)
///     <root>/alive        AliveMark (when the player last knew itself alive)
///
/// Opening it recovers from any crash: torn temp files are removed, cached files verified.
public struct LocalState: Sendable {
    public let schedule: ScheduleStore
    public let cache: ContentCache
    public let outbox: Outbox
    public let announcements: AnnouncementStore
    public let alive: AliveMark

    public init(
        root: String,
        cache configuration: CacheConfiguration = CacheConfiguration(),
        healthLimit: Int = 100,
        logger: Logger = Logger(label: "loa.gateway.state")
    ) throws(LocalStateError) {
        do { try DiskFile.makeDirectory(root) } catch { throw .schedule(.disk(error)) }
        announcements = AnnouncementStore(stateDirectory: root)
        alive = AliveMark(stateDirectory: root)
        do { schedule = try ScheduleStore(directory: root + "/schedule", logger: logger) } catch { throw .schedule(error) }
        do { cache = try ContentCache(root: root, configuration: configuration, logger: logger) } catch { throw .cache(error) }
        do {
            outbox = try Outbox(path: root + "/outbox.sqlite", healthLimit: healthLimit, now: configuration.now)
        } catch {
            throw .outbox(error)
        }
    }
}

/// Which part of the local state failed to open.
public enum LocalStateError: Error, Hashable, Sendable, CustomStringConvertible {
    case schedule(ScheduleStoreError)
    case cache(CacheError)
    case outbox(OutboxError)

    public var description: String {
        switch self {
        case .schedule(let error): return "\(error)"
        case .cache(let error): return "\(error)"
        case .outbox(let error): return "\(error)"
        }
    }
}
