/// A play priority, 0–255; higher wins. Named bands follow DESIGN.md:
/// relay/background < scheduled < announcement < live < emergency.
public struct Priority: RawRepresentable, Hashable, Comparable, Sendable, Codable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}
