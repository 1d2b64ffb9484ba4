#if canImport(Glibc)
import Glibc
#endif

/// The bench's output: one JSON object a line on stdout (flushed, so a driver reads it live).
struct BenchReport {
    enum Value {
        case int(Int)
        case number(Double)
        case text(String)

        var json: String {
            switch self {
            case .int(let v): "\(v)"
            case .number(let v): v.isFinite ? "\((v * 10).rounded() / 10)" : "null"
            case .text(let v): "\"\(v.replacingQuotes)\""
            }
        }
    }

    let tally: FleetTally
    let pidFile: String?
    let gateways: Int
    let started = BenchReport.seconds()
    var baselineRSSKiB: Int?
    private var lastCPU: ProcessSample?
    private var lastCPUAt = 0.0

    init(tally: FleetTally, pidFile: String?, gateways: Int) {
        self.tally = tally
        self.pidFile = pidFile
        self.gateways = gateways
    }

    func controller() -> ProcessSample? { pidFile.flatMap { ProcessSample.read(pidFile: $0) } }

    /// A once-a-second line: counts, this second's round trips, the controller's CPU and RSS.
    mutating func tick(phase: String, counts: FleetTally.Counts) {
        var fields: [String: Value] = [
            "t": .number(Self.seconds() - started), "phase": .text(phase), "ready": .int(counts.ready),
            "handshakes": .int(counts.handshakes), "closed": .int(counts.closedByPeer),
            "connect_failures": .int(counts.connectFailures),
        ]
        if let p = Percentiles(counts.rttMs) {
            fields["rtt_p50_ms"] = .number(p.p50); fields["rtt_p99_ms"] = .number(p.p99); fields["rtt_max_ms"] = .number(p.max)
        }
        if let sample = controller() {
            let now = Self.seconds()
            if let last = lastCPU, last.pid == sample.pid, now > lastCPUAt {
                fields["cpu_pct"] = .number((sample.cpuSeconds - last.cpuSeconds) / (now - lastCPUAt) * 100)
            }
            fields["rss_mib"] = .number(Double(sample.rssKiB) / 1024)
            lastCPU = sample
            lastCPUAt = now
        }
        line(fields)
    }

    func line(_ fields: [String: Value]) {
        let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value.json)" }.joined(separator: ", ")
        var text = "{\(body)}\n"
        // Straight to the descriptor, unbuffered, so a driver reading the pipe sees each line at once.
        text.withUTF8 { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
    }

    /// Monotonic seconds.
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension String {
    var replacingQuotes: String {
        var out = ""
        for c in self { if c == "\"" || c == "\\" { out.append("\\") }; out.append(c) }
        return out
    }
}
