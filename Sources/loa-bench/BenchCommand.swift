import ArgumentParser
import LoaProtocol
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// `loa-bench`: a fleet of simulated gateways against a running controller (issue 14).
/// Benchmarks/fleet-scale.py starts the controller, registers the gateways and drives this;
/// it prints one JSON line a second and a summary per phase.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loa-bench",
        abstract: "Simulate N gateways (handshake, clock, heartbeats, health, schedule acks, content, as-played) against a controller.")

    @Option(help: "File of gateways, one 'ID SECRET' a line (SECRET as the API returned it).")
    var keys: String
    @Option(help: "Gateways to simulate (the first N of the file; all when omitted).")
    var gateways: Int?
    @Option(help: "The controller's gateway address.")
    var host = "127.0.0.1"
    @Option(help: "The controller's gateway port.")
    var port: Int
    @Option(help: "New connections a second during the ramp (0: all at once).")
    var rate = 200
    @Option(help: "Longest wait for the whole fleet to be ready, seconds.")
    var rampTimeout = 300
    @Option(help: "Seconds to hold the fleet once ready, measuring.")
    var hold = 60
    @Option(help: "Sessions closed (and reconnected) a second while holding.")
    var churn = 0
    @Option(help: "One clock request per gateway this often, seconds (its round trip is the reported RTT).")
    var clockSeconds: Int64 = 10
    @Option(help: "A full health report per gateway this often, seconds (0: none).")
    var healthSeconds: Int64 = 900
    @Option(help: "A started+finished pair of as-played events per gateway this often, seconds (0: none).")
    var playSeconds: Int64 = 600
    @Flag(help: "Do not fetch the content that schedules name.")
    var noContent = false
    @Option(help: "Source addresses 127.0.0.2… to spread connections over (0: one, the kernel's choice).")
    var sourceAddresses = 0
    @Option(help: "Event loop threads of the simulator.")
    var threads = 1
    @Option(help: "File holding the controller's pid, for CPU and RSS from /proc (rewritten on restart).")
    var controllerPidFile: String?
    @Flag(help: "After holding, print {\"event\":\"storm-armed\"} and time the fleet's return after the controller restarts.")
    var storm = false
    @Option(help: "Longest wait for the storm, seconds.")
    var stormTimeout = 300

    func run() async throws {
        let all = try Self.readKeys(keys)
        let fleet = Array(all.prefix(gateways ?? all.count))
        guard !fleet.isEmpty else { throw ValidationError("no gateways in \(keys)") }
        let simulator = FleetSimulator(gateways: fleet, options: .init(
            host: host, port: port, sourceAddresses: sourceAddresses, clockSeconds: clockSeconds,
            behaviour: .init(healthSeconds: healthSeconds, playSeconds: playSeconds, fetchContent: !noContent)), threads: threads)
        var report = BenchReport(tally: simulator.tally, pidFile: controllerPidFile, gateways: fleet.count)
        report.line(["event": .text("start"), "gateways": .int(fleet.count)])

        let ramp = try await rampUp(simulator, report: &report)
        let held = try await holdFleet(simulator, report: &report)
        var summary = ramp.merging(held) { $1 }
        if storm { summary.merge(try await stormReturn(simulator, report: &report)) { $1 } }
        summary["event"] = .text("summary")
        report.line(summary)
        try await simulator.shutdown()
    }

    private func rampUp(_ simulator: FleetSimulator, report: inout BenchReport) async throws -> [String: BenchReport.Value] {
        let n = simulator.gateways.count
        let started = BenchReport.seconds()
        let baselineRSS = report.controller()?.rssKiB
        var launched = 0
        var handshakeMs: [Double] = []
        var peakRate = 0
        var lastHandshakes = 0
        var lastTick = started
        while simulator.tally.snapshot.ready < n, BenchReport.seconds() - started < Double(rampTimeout) {
            let due = rate == 0 ? n : min(n, Int((BenchReport.seconds() - started) * Double(rate)) + 1)
            while launched < due { simulator.connect(launched); launched += 1 }
            try await Task.sleep(for: .milliseconds(20))
            if BenchReport.seconds() - lastTick >= 1 {
                lastTick = BenchReport.seconds()
                let counts = simulator.tally.drain()
                handshakeMs += counts.handshakeMs
                peakRate = max(peakRate, counts.handshakes - lastHandshakes)
                lastHandshakes = counts.handshakes
                report.tick(phase: "ramp", counts: counts)
            }
        }
        let seconds = BenchReport.seconds() - started
        let counts = simulator.tally.drain()
        handshakeMs += counts.handshakeMs
        let p = Percentiles(handshakeMs)
        var result: [String: BenchReport.Value] = [
            "ramp_ready": .int(counts.ready), "ramp_s": .number(seconds),
            "handshakes_per_s": .number(Double(counts.ready) / max(seconds, 0.001)), "handshakes_peak_per_s": .int(peakRate),
            "handshake_p50_ms": .number(p?.p50 ?? 0), "handshake_p99_ms": .number(p?.p99 ?? 0),
            "ramp_connect_failures": .int(counts.connectFailures), "ramp_closed": .int(counts.closedByPeer),
        ]
        if let baselineRSS { result["controller_rss_before_mib"] = .number(Double(baselineRSS) / 1024) }
        report.baselineRSSKiB = baselineRSS
        return result
    }

    private func holdFleet(_ simulator: FleetSimulator, report: inout BenchReport) async throws -> [String: BenchReport.Value] {
        let start = simulator.tally.drain()
        let startCPU = report.controller()
        let started = BenchReport.seconds()
        var rtt: [Double] = []
        var rss: [Int] = []
        var cpu: [Double] = []
        var lastCPU = startCPU
        var lastCPUAt = started
        var leastReady = start.ready
        while BenchReport.seconds() - started < Double(hold) {
            try await Task.sleep(for: .seconds(1))
            if churn > 0 { simulator.closeRandom(churn) }
            let counts = simulator.tally.drain()
            rtt += counts.rttMs
            leastReady = min(leastReady, counts.ready)
            let sample = report.controller()
            let now = BenchReport.seconds()
            if let sample, let last = lastCPU, sample.pid == last.pid, now > lastCPUAt {
                cpu.append((sample.cpuSeconds - last.cpuSeconds) / (now - lastCPUAt) * 100)
            }
            if let sample { rss.append(sample.rssKiB) }
            lastCPU = sample
            lastCPUAt = now
            report.tick(phase: "hold", counts: counts)
        }
        let seconds = BenchReport.seconds() - started
        let end = simulator.tally.snapshot
        let p = Percentiles(rtt)
        let bytes = Double(end.bytesIn - start.bytesIn + end.bytesOut - start.bytesOut)
        var result: [String: BenchReport.Value] = [
            "hold_s": .number(seconds), "held_least": .int(leastReady), "held_end": .int(end.ready),
            "closed_in_hold": .int(end.closedByPeer - start.closedByPeer),
            "rtt_samples": .int(p?.count ?? 0), "rtt_p50_ms": .number(p?.p50 ?? 0), "rtt_p99_ms": .number(p?.p99 ?? 0),
            "rtt_max_ms": .number(p?.max ?? 0),
            "bytes_per_gateway_day": .number(bytes / Double(max(1, end.ready)) / seconds * 86_400),
            "error_codes": .text(end.errorCodes.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")),
            "health_reports": .int(end.healthReports - start.healthReports),
            "play_events_acked": .int(end.playEventsAcked - start.playEventsAcked),
            "content_mib": .number(Double(end.contentBytes) / 1_048_576),
        ]
        if let medianCPU = Percentiles(cpu) {
            result["controller_cpu_median_pct"] = .number(medianCPU.p50)
            result["controller_cpu_max_pct"] = .number(medianCPU.max)
        }
        if let last = rss.last {
            result["controller_rss_mib"] = .number(Double(last) / 1024)
            if let base = report.baselineRSSKiB {
                result["rss_per_gateway_kib"] = .number(Double(last - base) / Double(max(1, end.ready)))
            }
        }
        return result
    }

    /// Waits for the driver to restart the controller; times the fleet's return.
    private func stormReturn(_ simulator: FleetSimulator, report: inout BenchReport) async throws -> [String: BenchReport.Value] {
        let n = simulator.gateways.count
        _ = simulator.tally.drain()
        report.line(["event": .text("storm-armed")])
        let armed = BenchReport.seconds()
        var dropped: Double?
        var serving: Double?
        var handshakesAtDrop = 0
        var lastTick = armed
        while BenchReport.seconds() - armed < Double(stormTimeout) {
            try await Task.sleep(for: .milliseconds(20))
            let counts = simulator.tally.snapshot
            if dropped == nil, counts.ready < n { dropped = BenchReport.seconds(); handshakesAtDrop = counts.handshakes }
            if dropped != nil, serving == nil, counts.handshakes > handshakesAtDrop { serving = BenchReport.seconds() }
            if serving != nil, counts.ready == n { break }
            if BenchReport.seconds() - lastTick >= 1 {
                lastTick = BenchReport.seconds()
                report.tick(phase: "storm", counts: simulator.tally.drain())
            }
        }
        let done = BenchReport.seconds()
        let counts = simulator.tally.snapshot
        return [
            "storm_ready": .int(counts.ready),
            "storm_from_drop_s": .number(dropped.map { done - $0 } ?? -1),
            "storm_from_first_handshake_s": .number(serving.map { done - $0 } ?? -1),
            "storm_error_codes": .text(counts.errorCodes.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")),
        ]
    }

    static func readKeys(_ path: String) throws -> [FleetSimulator.Gateway] {
        guard let file = fopen(path, "r") else { throw ValidationError("cannot open \(path)") }
        defer { fclose(file) }
        var gateways: [FleetSimulator.Gateway] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\n" })
            if fields.count >= 2 { gateways.append(.init(id: String(fields[0]), secret: Array(fields[1].utf8))) }
        }
        free(line)
        return gateways
    }
}
