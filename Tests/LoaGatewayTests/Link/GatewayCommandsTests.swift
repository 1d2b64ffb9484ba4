import LoaProtocol
import Testing
@testable import LoaGateway

/// The controller's `sendLogs` command answered from the daemon's log ring (the console's
/// "Xem nhật ký" and `loactl gateways logs`), and refused in words where there is none.
@Suite struct GatewayCommandsTests {
    @Test func sendLogsAnswersTheNewestLinesInOrder() {
        let ring = LogRing(capacity: 1_000)
        for n in 1...30 { ring.append("line \(n)") }
        let result = GatewayCommands(volume: nil, logs: ring).run(Command(id: "c-1", action: .sendLogs(lines: 5)))
        #expect(result.ok && result.id == "c-1")
        #expect(result.output == "line 26\nline 27\nline 28\nline 29\nline 30")
        #expect(result.message == "5 log lines")
    }

    @Test func sendLogsKeepsTheNewestWithinTheByteLimit() {
        let ring = LogRing(capacity: 1_000)
        let long = String(repeating: "x", count: 1_023)
        for n in 0..<1_000 { ring.append("\(n % 10)" + long) }
        let result = GatewayCommands(volume: nil, logs: ring).run(Command(id: "c-2", action: .sendLogs(lines: 10_000)))
        let lines = result.output?.split(separator: "\n") ?? []
        #expect(lines.count == GatewayCommands.logBytesLimit / 1_025)
        #expect(lines.last?.first == "9", "the newest line is kept")
        #expect((result.output?.utf8.count ?? .max) <= GatewayCommands.logBytesLimit)
    }

    @Test func withoutALogRingSendLogsIsRefusedInWords() {
        let result = GatewayCommands(volume: nil).run(Command(id: "c-3", action: .sendLogs(lines: 10)))
        #expect(!result.ok && result.message?.contains("journalctl -u loa-gateway") == true)
    }
}
