import Foundation
import Testing
@testable import LoaGateway

/// The /proc and /sys parsers on fixed text, and one real reading.
@Suite struct SystemProbeTests {
    @Test func parsesProcAndThermalText() {
        #expect(SystemProbe.uptime("35412.71 70123.40\n") == 35_412)
        #expect(SystemProbe.load1("0.52 0.40 0.33 1/123 4567\n") == 0.52)
        let memory = SystemProbe.memory("MemTotal:        1024000 kB\nMemFree:          100000 kB\nMemAvailable:     512000 kB\n")
        #expect(memory?.total == 1_024_000 * 1024)
        #expect(memory?.available == 512_000 * 1024)
        #expect(SystemProbe.temperature("48312\n") == 48.312)
        #expect(SystemProbe.memory("garbage") == nil)
    }

    @Test func readsThisMachine() {
        let reading = SystemProbe(stateDirectory: NSTemporaryDirectory()).read()
        #expect((reading.uptimeSeconds ?? 0) > 0)
        #expect(reading.memoryTotalBytes ?? 0 > 0)
        #expect(reading.diskTotalBytes ?? 0 > 0)
    }
}
