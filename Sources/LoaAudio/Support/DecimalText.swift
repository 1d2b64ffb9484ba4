/// `value` written with `digits` decimals, as C's `%.Nf` writes it for the values a log or an
/// error shows (halves of the scaled value round away from zero; "inf", "-inf", "nan" for the rest). Foundation's
/// `String(format:)` without Foundation: the gateway links FoundationEssentials only.
public func decimalText(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    var scale: Int64 = 1
    for _ in 0..<max(digits, 0) { scale *= 10 }
    let magnitude = (value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
    guard magnitude < 9.2e18 else { return String(value) }
    let units = Int64(magnitude)
    let whole = String(units / scale)
    let sign = value.sign == .minus ? "-" : ""  // C writes -0.0 too
    guard digits > 0 else { return sign + whole }
    let fraction = String(units % scale)
    return sign + whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}
