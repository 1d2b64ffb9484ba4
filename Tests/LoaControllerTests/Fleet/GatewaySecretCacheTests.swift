import Foundation
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
}
