#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns a local date and time in one zone into an instant, and an instant into a local date.
///
/// Works from the zone's UTC offsets alone (`ZoneRules`, read from the machine's TZif file, so
/// the controller and the gateway agree whatever each links), and the handling of local times
/// that do not exist or exist twice is Loa's own, the same on every platform:
/// - **nonexistent** (spring-forward gap, e.g. 02:30 in New York on 2026-03-08): the time is
///   read with the offset in force *before* the gap, which moves it forward by the gap's length
///   (02:30 EST = 03:30 EDT). Validation rejects such a time for a one-off entry.
/// - **ambiguous** (fall-back overlap, e.g. 01:30 in New York on 2026-11-01): the *earlier*
///   instant is used and the item plays once.
/// Asia/Ho_Chi_Minh has had no transitions since 1975, so neither case arises there.
public struct LocalTimeResolver: Sendable {
    /// How a local date and time maps to instants.
    public enum Resolution: Equatable, Sendable {
        case exact(Date)
        /// The time occurs twice; `earlier` is the one Loa plays.
        case ambiguous(earlier: Date, later: Date)
        /// The time does not occur; `shifted` is where Loa plays it (moved forward by the gap).
        case nonexistent(shifted: Date)

        /// The instant Loa uses for this local time.
        public var instant: Date {
            switch self {
            case .exact(let d), .ambiguous(let d, _), .nonexistent(let d): return d
            }
        }
    }

    public let rules: ZoneRules

    public init(rules: ZoneRules) { self.rules = rules }

    /// Where `time` on `date` falls in this zone.
    public func resolve(_ date: LocalDate, _ time: LocalTime) -> Resolution {
        let local = TimeInterval(date.daysSinceEpoch * 86_400 + time.secondsSinceMidnight)
        let offsetBefore = offset(at: local - 86_400)
        let candidates = Set([offsetBefore, offset(at: local), offset(at: local + 86_400)])
        let instants = candidates
            .filter { offset(at: local - TimeInterval($0)) == $0 }
            .map { local - TimeInterval($0) }
            .sorted()
        guard let first = instants.first, let last = instants.last else {
            return .nonexistent(shifted: Date(timeIntervalSince1970: local - TimeInterval(offsetBefore)))
        }
        let earlier = Date(timeIntervalSince1970: first)
        return first == last ? .exact(earlier) : .ambiguous(earlier: earlier, later: Date(timeIntervalSince1970: last))
    }

    /// The local calendar day on which `instant` falls in this zone.
    public func localDate(of instant: Date) -> LocalDate {
        let local = instant.timeIntervalSince1970 + TimeInterval(rules.secondsFromGMT(for: instant))
        return LocalDate(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    private func offset(at secondsSince1970: TimeInterval) -> Int {
        rules.secondsFromGMT(at: Int64(secondsSince1970.rounded(.down)))
    }
}
