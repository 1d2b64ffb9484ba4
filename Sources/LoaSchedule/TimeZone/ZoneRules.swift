#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// A time zone's UTC offsets, read from its TZif file (RFC 8536) rather than from Foundation's
/// `TimeZone`: the schedule expansion of the controller and of the gateway then rest on the same
/// rules — the machine's tz database — whatever each links, and a gateway needs no ICU for it.
///
/// The table of transitions answers for the instants it covers; past its last transition the
/// file's footer (a POSIX TZ string, `CET-1CEST,M3.5.0,M10.5.0/3`) gives the rule; before its
/// first, the file's first local time type does (RFC 8536 §3.2).
public struct ZoneRules: Sendable, Equatable {
    /// The zone's name (`Asia/Ho_Chi_Minh`) as it was asked for.
    public let identifier: String
    /// Instants (seconds since 1970 UTC) at which the offset changes, ascending, and the
    /// offset in force from each on.
    let transitions: [Int64]
    let offsets: [Int32]
    /// The offset before the first transition.
    let initialOffset: Int32
    /// The rule for instants past the last transition; nil: the last offset stays.
    let footer: POSIXTimeZoneRule?

    /// Where the machine keeps its zone files.
    public static let directory = "/usr/share/zoneinfo"

    /// The zone's offset from UTC, in seconds, at `secondsSince1970`.
    public func secondsFromGMT(at secondsSince1970: Int64) -> Int {
        guard let first = transitions.first, secondsSince1970 >= first else { return Int(initialOffset) }
        if secondsSince1970 >= transitions[transitions.count - 1], let footer {
            return footer.offset(at: secondsSince1970)
        }
        // The last transition at or before the instant.
        var low = 0, high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= secondsSince1970 { low = middle } else { high = middle - 1 }
        }
        return Int(offsets[low])
    }

    public func secondsFromGMT(for date: Date) -> Int {
        secondsFromGMT(at: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `instant` as this zone's wall clock, `YYYY-MM-DD HH:MM:SS` (whole seconds, down).
    public func localText(_ instant: Date) -> String {
        let utc = Int64(instant.timeIntervalSince1970.rounded(.down))
        let local = utc + Int64(secondsFromGMT(at: utc))
        let day = Int(floorDivide(local, 86_400))
        let second = Int(local - Int64(day) * 86_400)
        return "\(LocalDate(daysSinceEpoch: day)) \(LocalTime(hour: second / 3600, minute: second / 60 % 60, second: second % 60))"
    }

    /// The zone named `identifier`, read from `directory`; a name that is not a plain relative
    /// path (`..`, a leading `/`) is refused before any file is opened.
    public static func named(_ identifier: String, directory: String = ZoneRules.directory) throws(ZoneRulesError) -> ZoneRules {
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, identifier.count <= 128, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }) else {
            throw .badName(identifier)
        }
        let path = directory + "/" + identifier
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        do {
            return try TZifParser.parse(Array(data), identifier: identifier)
        } catch let reason {
            throw .corrupt(path, reason.description)
        }
    }

    /// Zones read once per process, by name (a schedule expands in one or two zones).
    public static func cached(_ identifier: String) throws(ZoneRulesError) -> ZoneRules {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        let rules = try named(identifier)
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    private static let cache = Mutex<[String: ZoneRules]>([:])
}

/// Why a zone could not be read: each names the zone or its file.
public enum ZoneRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    case badName(String)
    case unreadable(String)
    case corrupt(String, String)

    public var description: String {
        switch self {
        case .badName(let name): return "'\(name.prefix(80))' is not a time zone name (Area/City, e.g. Asia/Ho_Chi_Minh)"
        case .unreadable(let path): return "time zone file \(path) is missing or unreadable (is the tzdata package installed?)"
        case .corrupt(let path, let reason): return "time zone file \(path) is not a valid TZif file: \(reason)"
        }
    }
}
