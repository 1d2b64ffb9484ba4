/// A play priority, 0–255; higher wins. JSON: a bare integer (`60`).
///
/// Named bands follow DESIGN.md: background/relay < scheduled < announcement < live < emergency.
/// Each band has a default level in its middle so an operator can still place an item just
/// above or below the usual ones without leaving the band.
public struct Priority: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt8) { self.rawValue = value }
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }

    /// Background and relayed streams ("tiếp sóng"): 0–49, default 20.
    public static let background = Priority(rawValue: 20)
    /// Scheduled bulletins: 50–99, default 60.
    public static let scheduled = Priority(rawValue: 60)
    /// Announcements pushed by an operator: 100–149, default 120.
    public static let announcement = Priority(rawValue: 120)
    /// Live broadcasts from a microphone or studio encoder: 150–199, default 170.
    public static let live = Priority(rawValue: 170)
    /// Emergencies (disaster warnings): 200–255, default 230.
    public static let emergency = Priority(rawValue: 230)

    /// The named band this level falls in.
    public var band: Band { Band(containing: self) }

    public var description: String { "\(rawValue) (\(band.rawValue))" }

    /// A named range of priority levels.
    public enum Band: String, Sendable, Codable, CaseIterable {
        case background, scheduled, announcement, live, emergency

        /// The levels of this band (inclusive).
        public var levels: ClosedRange<UInt8> {
            switch self {
            case .background: return 0...49
            case .scheduled: return 50...99
            case .announcement: return 100...149
            case .live: return 150...199
            case .emergency: return 200...255
            }
        }

        /// The level an item of this band gets when nobody chose one.
        public var defaultPriority: Priority {
            switch self {
            case .background: return .background
            case .scheduled: return .scheduled
            case .announcement: return .announcement
            case .live: return .live
            case .emergency: return .emergency
            }
        }

        /// What an announcement may use, for refusals and help texts: "announcements 100–149,
        /// default 120; emergencies 200–255, default 230".
        public static var announcementRule: String {
            "announcements \(Band.announcement.range), default \(Priority.announcement.rawValue); emergencies \(Band.emergency.range), default \(Priority.emergency.rawValue)"
        }

        /// A live stream's levels: the live band and the emergencies above it.
        public static var liveLevels: ClosedRange<Int> {
            Int(Band.live.levels.lowerBound)...Int(Band.emergency.levels.upperBound)
        }

        /// "150–255 (default 170; 200 and above are emergencies)".
        public static var liveRule: String {
            "\(liveLevels.lowerBound)–\(liveLevels.upperBound) (default \(Priority.live.rawValue); \(Band.emergency.levels.lowerBound) and above are emergencies)"
        }

        /// "100–149".
        public var range: String { "\(levels.lowerBound)–\(levels.upperBound)" }

        /// The band holding `priority`; the bands cover 0–255 without gaps.
        public init(containing priority: Priority) {
            self = Band.allCases.first { $0.levels.contains(priority.rawValue) } ?? .emergency
        }
    }
}
