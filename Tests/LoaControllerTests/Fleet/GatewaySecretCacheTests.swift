import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import LoaController

@Suite struct GatewaySecretCacheTests {
    @Test func answersFromMemoryAndRechecksAnAbsenceSoon() async {
        let cache = GatewaySecretCache(maxAgeSeconds: 60, logger: TestLog.quiet) { id in
            id == "xa-tan-lap-01" ? [1, 2, 3] : nil
        }
        #expect(cache.secret(forGateway: "xa-tan-lap-01") == nil, "nothing before the first refresh")
        await cache.refresh("xa-tan-lap-01", nowMs: 0)
        await cache.refresh("xa-moi-01", nowMs: 0)
        #expect(cache.secret(forGateway: "xa-tan-lap-01") == [1, 2, 3])
        #expect(cache.secret(forGateway: "xa-moi-01") == nil)
        #expect(cache.isFresh("xa-tan-lap-01", nowMs: 59_000))
        #expect(!cache.isFresh("xa-tan-lap-01", nowMs: 60_000))
        #expect(cache.isFresh("xa-moi-01", nowMs: 9_000))
        #expect(!cache.isFresh("xa-moi-01", nowMs: 10_000), "an unknown id is looked up again after 10 s")
        cache.invalidate("xa-tan-lap-01")
        #expect(cache.secret(forGateway: "xa-tan-lap-01") == nil)
    }

    @Test func aFailedLookupKeepsWhatWasCached() async {
        struct Down: Error {}
        let cache = GatewaySecretCache(logger: TestLog.quiet) { _ in throw Down() }
        await cache.refresh("xa-tan-lap-01", nowMs: 0)
        #expect(!cache.isFresh("xa-tan-lap-01", nowMs: 0))
    }

    @Test func aPreloadedSecretIsServedWithoutALookup() async {
        let lookups = NIOLockedValueBox(0)
        let cache = GatewaySecretCache(maxAgeSeconds: 60, logger: TestLog.quiet) { _ in
            lookups.withLockedValue { $0 += 1 }
            return [9]
        }
        cache.preload(["gw-00001": [1], "gw-00002": [2]], nowMs: 1_000)
        #expect(cache.isFresh("gw-00001", nowMs: 60_999) && cache.secret(forGateway: "gw-00002") == [2])
        #expect(!cache.isFresh("gw-00001", nowMs: 61_000), "a preloaded entry ages like any other")
        #expect(!cache.isFresh("gw-00003", nowMs: 1_000))
        #expect(lookups.withLockedValue { $0 } == 0)
    }
}
