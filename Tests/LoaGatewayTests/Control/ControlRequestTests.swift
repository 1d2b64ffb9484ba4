import Foundation
import Testing
@testable import LoaGateway

struct ControlRequestTests {
    func parse(_ text: String) throws(ControlError) -> ControlRequest { try ControlRequest.parse(Array(text.utf8)) }

    @Test func parsesEveryCommandWithDefaults() throws {
        #expect(try parse(#"{"command":"status"}"#) == .status)
        #expect(try parse(#"{"command":"schedule"}"#) == .schedule(count: 10))
        #expect(try parse(#"{"command":"schedule","count":3}"#) == .schedule(count: 3))
        #expect(try parse(#"{"command":"cache"}"#) == .cache)
        #expect(try parse(#"{"command":"volume"}"#) == .volume(percent: nil))
        #expect(try parse(#"{"command":"volume","percent":0}"#) == .volume(percent: 0))
        #expect(try parse(#"{"command":"testTone"}"#) == .testTone(seconds: 3, frequencyHz: 1_000))
        #expect(try parse(#"{"command":"testTone","seconds":0.5,"frequencyHz":440}"#) == .testTone(seconds: 0.5, frequencyHz: 440))
        #expect(try parse(#"{"command":"logs","lines":7}"#) == .logs(lines: 7))
    }

    @Test func encodedRequestsParseBack() throws {
        for request: ControlRequest in [.status, .schedule(count: 4), .cache, .volume(percent: nil), .volume(percent: 55),
                                        .testTone(seconds: 1.5, frequencyHz: 1_000), .logs(lines: 20)] {
            #expect(try ControlRequest.parse(request.encoded) == request)
        }
    }

    @Test func badInputIsNamed() {
        #expect(throws: ControlError.malformed("not a JSON object with a \"command\" field (invalid JSON)")) { try parse("status") }
        #expect(throws: ControlError.malformed("the \"command\" field is missing")) { try parse(#"{"percent":3}"#) }
        #expect(throws: ControlError.unknownCommand("reboot")) { try parse(#"{"command":"reboot"}"#) }
        #expect(throws: ControlError.outOfRange(field: "percent", value: "101", allowed: "0–100")) { try parse(#"{"command":"volume","percent":101}"#) }
        #expect(throws: ControlError.outOfRange(field: "seconds", value: "90.0", allowed: "0.1–60.0")) { try parse(#"{"command":"testTone","seconds":90}"#) }
        #expect(throws: ControlError.outOfRange(field: "lines", value: "0", allowed: "1–1000")) { try parse(#"{"command":"logs","lines":0}"#) }
        #expect(throws: ControlError.outOfRange(field: "count", value: "501", allowed: "1–500")) { try parse(#"{"command":"schedule","count":501}"#) }
        #expect(throws: ControlError.outOfRange(field: "frequencyHz", value: "5", allowed: "20–20000")) { try parse(#"{"command":"testTone","frequencyHz":5}"#) }
        do {
            _ = try parse(#"{"command":"volume","percent":"loud"}"#)
            Issue.record("a string percent was accepted")
        } catch {
            #expect(error.description.contains("percent"), "\(error)")
        }
        let long = Array(repeating: UInt8(ascii: " "), count: ControlRequest.maximumBytes + 1)
        #expect(throws: ControlError.requestTooLong(bytes: long.count, limit: ControlRequest.maximumBytes)) { try ControlRequest.parse(long) }
    }
}
