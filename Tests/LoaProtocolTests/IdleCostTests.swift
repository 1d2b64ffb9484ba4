import Testing
@testable import LoaProtocol

/// Idle traffic per gateway per day, from real encoded frame sizes. Assumptions (also in
/// docs/PROTOCOL.md): every message is one TCP segment with 20 B IPv4 + 20 B TCP + 12 B
/// options, answered by one bare ACK segment of the same 52 B.
enum IdleCost {
    static let segmentOverhead = 52
    static let secondsPerDay = 86_400

    /// A full health report as a gateway would send it on the 15-minute timer.
    static let typicalHealth = HealthReport(
        uptimeSeconds: 1_234_567, load1: 0.42, memoryUsedBytes: 123_456_789, memoryTotalBytes: 1_022_312_448,
        diskFreeBytes: 12_345_678_901, diskTotalBytes: 15_931_539_456, temperatureCelsius: 48.5, linkRttMs: 87.5,
        clockOffsetMs: 0.8, alsaState: "PREPARED", amplifierOn: false, volumePercent: 80, nowPlaying: nil,
        cacheUsedBytes: 734_003_200, cacheItems: 412, lastErrors: ["alsa: underrun at 2026-01-01T06:00:03Z"],
        softwareVersion: "loa-gateway 1.0.0")

    /// Bytes on the wire for one message of `frameSize` bytes: its segment plus the ACK.
    static func wireBytes(frameSize: Int) -> Int { frameSize + segmentOverhead + segmentOverhead }

    static func size(_ message: Message) -> Int { MessageCodec.encode(message).serialized().count }

    /// Heartbeats every 120 s, health every 15 min, clock sync every 30 min in bursts of 3.
    static func bytesPerDay(heartbeatSeconds: Int = Int(ControllerSessionStateMachine.Configuration().heartbeatSeconds),
                            healthSeconds: Int = HealthReport.defaultIntervalSeconds, clockSeconds: Int = 1800,
                            clockBurst: Int = 3) -> (heartbeat: Int, health: Int, clock: Int, total: Int) {
        let heartbeat = secondsPerDay / heartbeatSeconds * wireBytes(frameSize: size(.heartbeat))
        let health = secondsPerDay / healthSeconds * wireBytes(frameSize: size(.healthReport(typicalHealth)))
        let exchange = wireBytes(frameSize: size(.clockRequest(ClockRequest(t1: 0))))
            + wireBytes(frameSize: size(.clockReply(ClockReply(t1: 0, t2: 0, t3: 0))))
        let clock = secondsPerDay / clockSeconds * clockBurst * exchange
        return (heartbeat, health, clock, heartbeat + health + clock)
    }
}

@Suite struct IdleCostTests {
    @Test func idleTrafficStaysUnder200KBPerDay() {
        let cost = IdleCost.bytesPerDay()
        print("idle bytes/day: heartbeat \(cost.heartbeat), health \(cost.health) (frame \(IdleCost.size(.healthReport(IdleCost.typicalHealth))) B), clock \(cost.clock), total \(cost.total)")
        #expect(cost.total < 200_000)
    }

    @Test func defaultsAreTheOnesTheBudgetAssumes() {
        let gateway = GatewaySessionHandler.Configuration(session: .init(gatewayID: "g", secret: []))
        #expect(gateway.clockSyncInterval == .minutes(30))
        #expect(gateway.clockSyncBurst == 3)
        #expect(ControllerSessionStateMachine.Configuration().heartbeatSeconds == 120)
    }

    @Test func idleFigureInTheDocumentMatchesTheComputation() throws {
        let cost = IdleCost.bytesPerDay()
        let text = try ProtocolDocument.text()
        #expect(text.contains("**\(cost.total) bytes/day**"), "docs/PROTOCOL.md should state **\(cost.total) bytes/day**")
    }
}
