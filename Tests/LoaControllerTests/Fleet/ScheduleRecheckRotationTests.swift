import Foundation
import Testing
@testable import LoaController

/// The schedule recheck's rotation (issue 14): each gateway once per period, the fleet spread
/// evenly over the period's seconds.
@Suite struct ScheduleRecheckRotationTests {
    let ids = (0..<10_000).map { String(format: "gw-%05d", $0) }

    @Test func everyGatewayIsDueExactlyOncePerPeriod() {
        let rotation = ScheduleRecheckRotation(periodSeconds: 30)
        for id in ids.prefix(500) {
            #expect((0..<30).filter { rotation.isDue(id, atTick: $0) }.count == 1, "\(id)")
            #expect(rotation.isDue(id, atTick: 7) == rotation.isDue(id, atTick: 37), "the same slice every period")
        }
    }

    @Test func slicesAreEvenSoNoSecondCarriesABurst() {
        let rotation = ScheduleRecheckRotation(periodSeconds: 30)
        let perSlice = (0..<30).map { tick in ids.filter { rotation.isDue($0, atTick: tick) }.count }
        // 10 000 / 30 ≈ 333 a second; FNV-1a keeps every slice within 15 % of that.
        #expect(perSlice.reduce(0, +) == ids.count)
        #expect(perSlice.allSatisfy { (283...383).contains($0) }, "\(perSlice)")
    }

    @Test func aPeriodOfOneSecondAsksEveryoneEveryTick() {
        let rotation = ScheduleRecheckRotation(periodSeconds: 1)
        #expect(ids.prefix(50).allSatisfy { rotation.isDue($0, atTick: 12) })
    }

    @Test func theHashIsStableAcrossRuns() {
        // FNV-1a 64 of "a", the published test vector: a restart keeps each gateway in its slice.
        #expect(ScheduleRecheckRotation.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
