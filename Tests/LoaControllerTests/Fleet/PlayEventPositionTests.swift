import LoaProtocol
import Testing
@testable import LoaController

/// The position the controller stores: the event's typed `positionMs`, or from a gateway that
/// predates it, the detail's `atMs=N` / `fromMs=N`.
struct PlayEventPositionTests {
    @Test func theTypedPositionWinsAndAnOldGatewaysDetailStillCounts() {
        let typed = LoaProtocol.PlayEvent(id: "e", itemId: "x", kind: .finished, at: 0, detail: "atMs=1500", positionMs: 1_499)
        #expect(GatewayFleet.positionMs(of: typed) == 1_499)
        let old = LoaProtocol.PlayEvent(id: "e", itemId: "x", kind: .finished, at: 0, detail: "atMs=1500")
        #expect(GatewayFleet.positionMs(of: old) == 1_500)
        let negative = LoaProtocol.PlayEvent(id: "e", itemId: "x", kind: .finished, at: 0, detail: "atMs=7", positionMs: -3)
        #expect(GatewayFleet.positionMs(of: negative) == 7, "a nonsensical typed value falls back to the detail")
    }

    @Test(arguments: [
        ("atMs=1500", 1500), ("fromMs=1000", 1000), ("stopped atMs=820", 820),
        ("atMs=2400 by=thong-bao-1", 2400), (nil, 0), ("", 0), ("atMs=-5", 0), ("atMs=abc", 0), ("by=x", 0),
    ] as [(String?, Int)])
    func positionIsReadFromTheDetail(detail: String?, expected: Int) {
        #expect(GatewayFleet.positionMs(inDetail: detail) == expected)
    }
}

/// A gateway sends `missed` as `dropped` with a detail whose first word is `missed`.
struct StoredKindTests {
    @Test(arguments: [
        ("missed reason=gateway-down down=1-2", PlayLogEntry.Kind.missed), ("missed", .missed), ("missed reason=late", .missed),
        (nil, .dropped), ("", .dropped), ("expired", .dropped), ("not missed", .dropped), ("missedx", .dropped),
    ] as [(String?, PlayLogEntry.Kind)])
    func aDroppedWhoseDetailSaysMissedIsStoredMissed(detail: String?, expected: PlayLogEntry.Kind) {
        #expect(GatewayFleet.storedKind(.dropped, detail: detail) == expected)
    }

    /// A gateway that sends the typed cause is filed by it, whatever its detail says.
    @Test func theTypedCauseDecidesOverTheDetail() {
        #expect(GatewayFleet.storedKind(.dropped, cause: .missed, detail: nil) == .missed)
        #expect(GatewayFleet.storedKind(.dropped, cause: .missed, detail: "reason=gateway-down") == .missed)
        #expect(GatewayFleet.storedKind(.dropped, cause: .busy, detail: "missed reason=late") == .dropped)
        #expect(GatewayFleet.storedKind(.dropped, cause: .expired, detail: "expired") == .dropped)
    }

    @Test func otherKindsAreOneToOne() {
        #expect(GatewayFleet.storedKind(.finished, detail: "missed") == .finished)
        #expect(GatewayFleet.storedKind(.interrupted, detail: nil) == .interrupted)
    }
}
