/// The gateway protocol versions this build speaks, and the negotiation rule.
///
/// Each side offers a closed range; the chosen version is the highest one inside both
/// ranges. `hello` and `challenge` never change shape across versions, so any two builds
/// can always reach the point where they agree or refuse.
public enum ProtocolVersion {
    /// The newest version this build speaks.
    public static let current: UInt16 = 1
    /// The oldest version this build still speaks.
    public static let minimum: UInt16 = 1
    /// `minimum...current`.
    public static var supported: ClosedRange<UInt16> { minimum...current }

    /// The highest version in both ranges, or nil when they do not overlap.
    public static func negotiate(offered: ClosedRange<UInt16>, supported: ClosedRange<UInt16>) -> UInt16? {
        let low = max(offered.lowerBound, supported.lowerBound)
        let high = min(offered.upperBound, supported.upperBound)
        return low <= high ? high : nil
    }
}
