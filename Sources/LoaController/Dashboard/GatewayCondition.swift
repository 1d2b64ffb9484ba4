import LoaProtocol

/// What the fleet view shows of one gateway at a glance, worst first: offline, faulty, playing,
/// online. Decided from the connection and the latest health report only, so the controller and
/// the console colour a gateway the same way.
public enum GatewayCondition: String, Sendable, Codable, CaseIterable, Comparable {
    case offline, faulty, playing, online

    /// Past these a connected gateway is faulty: a box too hot to trust, a card nearly full (the
    /// next bulletin may not fit), an ALSA device that is not delivering sound.
    public enum Limits {
        public static let temperatureCelsius = 70.0
        public static let diskFreeBytes: UInt64 = 200 * 1024 * 1024
        public static let diskFreeShare = 0.1
        public static let failedALSAStates: Set<String> = ["XRUN", "SUSPENDED", "DISCONNECTED"]
    }

    public init(online: Bool, report: HealthReport?) {
        guard online else { self = .offline; return }
        guard let report else { self = .online; return }
        if !Self.faults(of: report).isEmpty {
            self = .faulty
        } else if let playing = report.nowPlaying, !playing.isEmpty {
            self = .playing
        } else {
            self = .online
        }
    }

    /// Why a report makes its gateway faulty, in words (empty: it does not).
    public static func faults(of report: HealthReport) -> [String] {
        var faults: [String] = []
        if let celsius = report.temperatureCelsius, celsius >= Limits.temperatureCelsius {
            faults.append("temperature \(celsius) °C")
        }
        if let free = report.diskFreeBytes {
            let share = report.diskTotalBytes.flatMap { $0 > 0 ? Double(free) / Double($0) : nil }
            if free < Limits.diskFreeBytes || (share ?? 1) < Limits.diskFreeShare { faults.append("disk nearly full (\(free) bytes free)") }
        }
        if let state = report.alsaState?.uppercased(), Limits.failedALSAStates.contains(state) {
            faults.append("sound device \(state)")
        }
        return faults
    }

    /// Worst first: the order the map uses to colour a cluster of several gateways.
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .offline: 0
        case .faulty: 1
        case .playing: 2
        case .online: 3
        }
    }
}
