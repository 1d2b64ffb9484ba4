import Foundation
@testable import LoaAudio
import Testing

/// `decimalText` stands in for `String(format: "%.Nf")` in the gateway's targets (which link
/// FoundationEssentials only); Foundation's formatting is the oracle here.
@Suite struct DecimalTextTests {
    @Test func writesWhatStringFormatWrites() {
        let values: [Double] = [0, -0.0, 1, -1, 0.05, -0.04, 0.25, 2.5, -23.04, -70, 12.345678, 99.95, -99.96, 1234567.891,
                                1e-9, -1e-9, 0.125, 1.005, 3.0e15]
        for value in values {
            for digits in 0...3 {
                #expect(decimalText(value, digits: digits) == String(format: "%.\(digits)f", value) || Self.isHalfway(value, digits),
                        "\(value) with \(digits) digits: \(decimalText(value, digits: digits)) vs \(String(format: "%.\(digits)f", value))")
            }
        }
    }

    @Test func nonFiniteValuesReadAsCWritesThem() {
        #expect(decimalText(-.infinity, digits: 1) == "-inf")
        #expect(decimalText(.infinity, digits: 1) == "inf")
        #expect(decimalText(.nan, digits: 2) == "nan")
    }

    /// printf rounds the exact binary value, decimalText the scaled one: they may differ only
    /// where the scaled value is within a rounding error of a half.
    static func isHalfway(_ value: Double, _ digits: Int) -> Bool {
        let scaled = abs(value) * pow(10, Double(digits))
        return abs(scaled - scaled.rounded(.down) - 0.5) < 1e-9 * max(1, scaled)
    }
}
