import Foundation
import LoaProtocol
import Testing
@testable import LoaController

/// A gateway that floods the controller with health reports (1 MiB each, back to back) gets a
/// burst stored, clamped, and then one report per refill interval; its neighbours are unaffected.
@Suite struct HealthIntakeTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let huge = String(repeating: "x", count: 1 << 20)

    @Test func everyTextFieldIsClamped() {
        let intake = HealthIntake()
        let report = HealthReport(alsaState: huge, nowPlaying: huge, lastErrors: Array(repeating: huge, count: 500) + ["newest"],
                                  softwareVersion: huge)
        let clamped = intake.clamp(report)
        #expect(clamped.alsaState?.count == 129 && clamped.nowPlaying?.count == 129 && clamped.softwareVersion?.count == 129)
        #expect(clamped.lastErrors?.count == 10 && clamped.lastErrors?.last == "newest")
        #expect(clamped.lastErrors?.allSatisfy { $0.count <= 301 } == true)
        let encoded = try? JSONEncoder().encode(clamped)
        #expect((encoded?.count ?? .max) < 8 * 1024, "a stored report stays a few KiB")
        #expect(intake.clamp(HealthReport(volumePercent: 70, nowPlaying: "item-1")) == HealthReport(volumePercent: 70, nowPlaying: "item-1"))
    }

    @Test func aFloodIsCutToTheBurstThenTheRefillRate() {
        var intake = HealthIntake(limits: .init(burst: 5, refillSeconds: 10))
        let report = HealthReport(nowPlaying: huge)
        var stored = 0
        var firstDrops = 0
        for n in 0..<30 {   // 30 reports in 3 s, as the hostile gateway sent them
            switch intake.admit(report, from: "xa-tan-lap-01", now: t0.addingTimeInterval(Double(n) * 0.1)) {
            case .store(let kept, let clamped):
                stored += 1
                #expect(clamped && kept.nowPlaying!.count < 200)
            case .drop(let first):
                if first { firstDrops += 1 }
            }
        }
        #expect(stored == 5)
        #expect(firstDrops == 1, "one log line per flood")
        // A neighbour behind the same controller is not affected.
        #expect(intake.admit(HealthReport(), from: "xa-tan-lap-02", now: t0.addingTimeInterval(3)) == .store(HealthReport(), clamped: false))
        // Ten seconds later one more gets through, and the next drop is logged again.
        #expect(intake.admit(report, from: "xa-tan-lap-01", now: t0.addingTimeInterval(13)) != .drop(firstInWindow: false))
        #expect(intake.admit(report, from: "xa-tan-lap-01", now: t0.addingTimeInterval(13.1)) == .drop(firstInWindow: true))
    }

    @Test func aHealthyGatewayIsNeverDropped() {
        var intake = HealthIntake()
        // A report every 15 minutes plus ten on changes within a minute, all day.
        var t = t0
        for _ in 0..<96 {
            for n in 0..<10 { #expect(intake.admit(HealthReport(), from: "gw", now: t.addingTimeInterval(Double(n) * 6)) != .drop(firstInWindow: true)) }
            t = t.addingTimeInterval(900)
        }
    }

    /// Each gateway's sync figures become gauges; an "on change" report updates only what it has.
    @Test func syncFiguresBecomePerGatewayGauges() {
        let metrics = ControllerMetrics()
        metrics.gatewaySync(gateway: "xa-a-01", report: HealthReport(clockOffsetMs: -12.5, liveReception: LiveReception(
            streamId: 3, receivedPayloads: 10, lostPayloads: 0, latePayloads: 0, bufferMs: 1_840, leastBufferMs: 1_700),
            clockSync: ClockSyncReport(driftPpm: 21.25, timelineErrorMs: 0.12)))
        metrics.gatewaySync(gateway: "xa-a-01", report: HealthReport(clockSync: ClockSyncReport(timelineErrorMs: -0.3)))
        metrics.gatewaySync(gateway: "xa-b-01", report: HealthReport(clockOffsetMs: 3))
        let text = metrics.render(gatewaysOnline: 2)
        for line in ["loa_gateway_clock_offset_ms{gateway=\"xa-a-01\"} -12.5", "loa_gateway_clock_drift_ppm{gateway=\"xa-a-01\"} 21.25",
                     "loa_gateway_timeline_error_ms{gateway=\"xa-a-01\"} -0.3", "loa_gateway_live_buffer_ms{gateway=\"xa-a-01\"} 1840",
                     "loa_gateway_clock_offset_ms{gateway=\"xa-b-01\"} 3"] {
            #expect(text.contains(line), "missing \(line)")
        }
        #expect(!text.contains("loa_gateway_clock_drift_ppm{gateway=\"xa-b-01\"}"))
    }
}
