import Foundation
import Testing
@testable import LoaController

/// The link's decisions without a socket: backoff, the area map, the cycle check, the offer
/// ledger (cursor and repeats), the offer verdict and the link keys.
@Suite struct LinkCoreTests {
    @Test func backoffDoublesToItsCapWithJitterFromTheInjectedSource() {
        var backoff = LinkBackoff(base: 1, cap: 8)
        // random 0 → half the step; random 1 → the whole step.
        #expect(backoff.failed(random: 0) == 0.5)
        #expect(backoff.failed(random: 1) == 2)
        #expect(backoff.failed(random: 0.5) == 3)
        #expect(backoff.failed(random: 1) == 8)
        #expect(backoff.failed(random: 1) == 8, "capped")
        #expect(backoff.failures == 5)
        backoff.succeeded()
        #expect(backoff.failures == 0 && backoff.step == 0)
        #expect(backoff.failed(random: 1) == 1, "starts again from the base after a success")
        var many = LinkBackoff(base: 1, cap: 300)
        for _ in 0..<200 { _ = many.failed(random: 1) }
        #expect(many.step == 300, "no overflow after many failures")
    }

    @Test func theAreaMapIsExplicitAndNamesAnUnknownLocalArea() throws {
        let map = try AreaMapping.parse(["c-xa-a = xa-a", "c-xa-b=xa-b"]).get()
        #expect(map.local(for: "c-xa-a") == "xa-a")
        #expect(map.local(for: "xa-a") == nil, "nothing is mapped by name alone")
        #expect(map.check(localAreas: ["xa-a", "xa-b"]) == nil)
        #expect(map.check(localAreas: ["xa-a"]) == .unknownLocalArea(upstreamArea: "c-xa-b", localArea: "xa-b"))
        #expect(LinkError.unknownLocalArea(upstreamArea: "c-xa-b", localArea: "xa-b").description.contains("'xa-b', which is not an area of this controller"))
        for bad in ["c-xa-a", "= xa-a", "c-xa-a = Xã A", "a = b = c"] {
            #expect(throws: AreaMapping.MappingError.self) { try AreaMapping.parse([bad]).get() }
        }
        #expect(throws: AreaMapping.MappingError.self) { try AreaMapping.parse(["a = b", "a = c"]).get() }
    }

    @Test func aChainThatHoldsThisControllerIsACycle() {
        #expect(LinkChain.parse(nil) == [])
        #expect(LinkChain.parse("tinh-a, huyen-b") == ["tinh-a", "huyen-b"])
        #expect(LinkChain.parse("tinh-a,,b") == nil)
        #expect(LinkChain.parse("Tỉnh") == nil)
        #expect(LinkChain.parse(Array(repeating: "a", count: 17).joined(separator: ",")) == nil)
        #expect(LinkChain.outgoing(own: "tinh", below: [["huyen-1", "xa-1"], ["huyen-2"], ["huyen-1"]]) == ["tinh", "huyen-1", "xa-1", "huyen-2"])
        #expect(LinkChain.isCycle(["tinh", "trung-uong"], own: "trung-uong"))
        #expect(!LinkChain.isCycle(["tinh"], own: "trung-uong"))
        // A and B each other's upstream: B's pull carries what A reported below it.
        let aPullsB = LinkChain.outgoing(own: "a", below: [])
        #expect(!LinkChain.isCycle(aPullsB, own: "b"))
        let bPullsA = LinkChain.outgoing(own: "b", below: [aPullsB])
        #expect(LinkChain.isCycle(bPullsA, own: "a"))
    }

    static func offer(_ id: Int64, class kind: String = "normal", area: String = "c-xa-a", sentAt: Date = Date(timeIntervalSince1970: 1_800_000_000),
                      sha256: String = String(repeating: "ab", count: 32)) -> LinkOffer {
        LinkOffer(id: id, class: kind, area: area, bulletin: .init(sha256: sha256, title: "Bản tin", durationMs: 1_500, url: "/api/v1/link/audio/\(sha256)"),
                  note: nil, repeat: 1, sender: "admin", senderLevel: "central", sentAt: APIJSON.time(sentAt))
    }

    @Test func theLedgerTakesEachOfferOnceAndTheCursorNeverPassesOneNotTaken() {
        let page = [Self.offer(7), Self.offer(5), Self.offer(6), Self.offer(8), Self.offer(6)]
        let plan = OfferLedger.plan(page, cursor: 5, received: [7])
        #expect(plan.take.map(\.id) == [6, 8])
        #expect(plan.acknowledgeOnly == [5, 7])
        // 6 stored, 8 failed (audio unreachable): the cursor stops at 7, so 8 is asked for again.
        #expect(OfferLedger.advance(cursor: 5, page: page, done: [5, 6, 7]) == 7)
        #expect(OfferLedger.advance(cursor: 5, page: page, done: [5, 7, 8]) == 5, "6 not taken: nothing after it counts")
        #expect(OfferLedger.advance(cursor: 5, page: page, done: [6, 7, 8]) == 8)
    }

    @Test func anOfferIsCheckedAndMappedBeforeAnythingIsFetched() throws {
        let map = AreaMapping(["c-xa-a": "xa-a"])
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        #expect(try OfferVerdict.decide(Self.offer(1), mapping: map, now: now, upstream: "u").get() == .take(localArea: "xa-a", dispatchClass: .normal))
        if case .refuse(let reason) = try OfferVerdict.decide(Self.offer(2, area: "c-xa-z"), mapping: map, now: now, upstream: "u").get() {
            #expect(reason.contains("not in the downstream's upstream.area_map"))
        } else { Issue.record("an unmapped area is refused") }
        // An emergency more than an hour late is not played on arrival.
        let late = Self.offer(3, class: "emergency", sentAt: now.addingTimeInterval(-3_700))
        guard case .refuse = try OfferVerdict.decide(late, mapping: map, now: now, upstream: "u").get() else {
            Issue.record("a late emergency is refused"); return
        }
        let fresh = Self.offer(4, class: "emergency", sentAt: now.addingTimeInterval(-60))
        #expect(try OfferVerdict.decide(fresh, mapping: map, now: now, upstream: "u").get() == .take(localArea: "xa-a", dispatchClass: .emergency))
        // Garbage: the exchange was broken; a clear error, nothing decided.
        var bad = [Self.offer(5, class: "urgent"), Self.offer(6, sha256: "XYZ"), Self.offer(0)]
        var noTime = Self.offer(7); noTime.sentAt = "yesterday"; bad.append(noTime)
        var many = Self.offer(8); many.repeat = 9; bad.append(many)
        var control = Self.offer(9); control.bulletin.title = "a\nFORGED"; bad.append(control)
        for offer in bad {
            guard case .failure(let error) = OfferVerdict.decide(offer, mapping: map, now: now, upstream: "u"), case .garbage = error else {
                Issue.record("offer \(offer.id) should be garbage"); continue
            }
        }
    }

    @Test func downstreamKeysAreComparedByHashAndAWrongKeyLooksLikeAnUnknownName() throws {
        let key = "khoa-lien-ket-tinh-01"
        let hex = LinkSettings.keyHash(key).map { String(format: "%02x", $0) }.joined()
        let hashed = try LinkSettings.Downstream.parse("tinh-a sha256:\(hex) c-tinh-a").get()
        let plain = try LinkSettings.Downstream.parse("tinh-b key:another-key-of-tinh-b c-tinh-b,c-xa-x").get()
        #expect(plain.areas == ["c-tinh-b", "c-xa-x"])
        let settings = LinkSettings(identity: "trung-uong", downstreams: [hashed, plain])
        #expect(settings.downstream(named: "tinh-a", key: key)?.name == "tinh-a")
        #expect(settings.downstream(named: "tinh-a", key: key + "x") == nil)
        #expect(settings.downstream(named: "tinh-b", key: key) == nil)
        #expect(settings.downstream(named: "tinh-b", key: "another-key-of-tinh-b")?.name == "tinh-b")
        for bad in ["tinh-a sha256:12 a", "tinh-a key:short a", "Tinh sha256:\(hex) a", "tinh-a sha256:\(hex)"] {
            #expect(throws: AreaMapping.MappingError.self) { try LinkSettings.Downstream.parse(bad).get() }
        }
    }
}
