import Foundation
import Logging
import Testing
@testable import LoaGateway

struct LogRingTests {
    @Test func keepsTheNewestLinesInOrder() {
        let ring = LogRing(capacity: 4)
        #expect(ring.last(3).isEmpty)
        for i in 1...3 { ring.append("l\(i)") }
        #expect(ring.last(10) == ["l1", "l2", "l3"])
        for i in 4...10 { ring.append("l\(i)") }
        #expect(ring.last(10) == ["l7", "l8", "l9", "l10"])
        #expect(ring.last(2) == ["l9", "l10"])
        #expect(ring.last(0).isEmpty)
    }

    @Test func teeHandlerKeepsEachRecordAsOneLine() {
        let ring = LogRing(capacity: 10)
        var logger = Logger(label: "loa.gateway") { label in
            TeeLogHandler(label: label, base: SwiftLogNoOpLogHandler(), ring: ring)
        }
        logger.logLevel = .info
        logger[metadataKey: "gateway.id"] = "xa-1"
        logger.debug("not kept: below the level")
        logger.info("playing", metadata: ["item.id": "sang@1#0"])
        logger.error("device gone")
        let lines = ring.last(10)
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("info loa.gateway: playing gateway.id=xa-1 item.id=sang@1#0"), "\(lines[0])")
        #expect(lines[1].contains("error loa.gateway: device gone"))
        #expect(lines[0].hasPrefix("20") && lines[0].contains("T"))
    }
}
