/// Where the controller's clock is, as a line against the gateway's local clock: the offset
/// (controller − local) at a local reference instant and its rate of change, the frequency
/// error. Local times are the gateway's monotonic clock (ns), so a step of its system clock
/// moves nothing; controller times are ns since the Unix epoch.
public struct ClockEstimate: Equatable, Sendable {
    /// A local instant (ns) at which `offset` holds.
    public var reference: Int64
    /// Controller − local at `reference` (ns).
    public var offset: Int64
    /// d(offset)/d(local): the controller clock's rate against the local one, minus 1
    /// (+20e-6: the controller's second is 20 ppm shorter than the local one).
    public var frequency: Double
    /// Every exchange in the window is consistent with an offset within ± this of `offset`
    /// (network delays are never negative): a hard bound on the error, whatever the path
    /// asymmetry, as long as the frequency holds.
    public var bound: Int64
    /// Exchanges the estimate rests on.
    public var samples: Int

    public init(reference: Int64, offset: Int64, frequency: Double, bound: Int64, samples: Int) {
        self.reference = reference
        self.offset = offset
        self.frequency = frequency
        self.bound = bound
        self.samples = samples
    }

    /// Controller − local at local instant `local`.
    public func offset(at local: Int64) -> Int64 {
        offset &+ Int64((Double(local &- reference) * frequency).rounded())
    }

    /// Controller time (ns since the epoch) at local instant `local`.
    public func controllerTime(at local: Int64) -> Int64 { local &+ offset(at: local) }

    /// The frequency error in parts per million.
    public var ppm: Double { frequency * 1e6 }
}

/// Estimates offset and frequency of the controller's clock from clock exchanges, by a
/// linear-programming form of minimum-delay selection. Each exchange bounds the offset line
/// θ(t) from both sides, because no packet arrives before it was sent:
///
///     θ(t1) ≤ t2 − t1          (the request took ≥ 0)
///     θ(t4) ≥ t3 − t4          (the reply took ≥ 0)
///
/// - **Frequency**: each side gets the line that stays on its side of every bound and is
///   closest to them in sum (Moon, Skelly and Towsley's one-way-delay fit: the tangent to the
///   bounds' convex hull at their centroid); the frequency is the mean of the two slopes.
/// - **Offset**: with that slope, the band every bound leaves at the newest exchange is
///   [B, A] = [max(t3 − t4 − b·(t4 − r)), min(t2 − t1 − b·(t1 − r))]; the estimate is its
///   middle, through a light low-pass, and half its width is a hard bound on the error.
///
/// Only the least-delayed exchanges in each direction matter: queueing, 4G jitter and delay
/// spikes only ever lift a bound away from the line, so they are ignored without a threshold
/// to tune, and the two directions' minima are found independently (an asymmetric queue costs
/// nothing). What no exchange can see is a fixed asymmetry of the paths' minimum delays: the
/// estimate is off by half of it, within `bound`. Measured on a simulated 4G link (uniform
/// 40 ± 20 ms queueing, 5 % stalls of 300 ms; `ClockSyncTests`): within 1 ppm after ~300
/// exchanges, and from 600 on a median error of 15–50 µs, 95 % within ~130 µs.
///
/// Exchanges expire by count and by age, so the estimate follows a crystal's slow wander with
/// temperature; a window whose exchanges admit no line (the controller's clock was stepped) is
/// cut to its newer half until they do. Until the window spans `frequencySpan` the frequency is
/// held (at the last estimate, or 0) and only the offset is estimated.
public struct ClockDiscipline: Sendable {
    public struct Settings: Equatable, Sendable {
        /// Most exchanges kept.
        public var window: Int = 2_048
        /// Oldest exchange kept, ns before the newest.
        public var maxAge: Int64 = 3_600_000_000_000
        /// The window's span (ns) below which the frequency is held rather than estimated.
        public var frequencySpan: Int64 = 60_000_000_000
        /// The largest frequency error believed (a crystal within ±100 ppm, a controller's NTP
        /// slewing at up to 500 ppm).
        public var maxFrequency: Double = 1e-3
        /// The low-pass on the band's middle: a new middle moves the estimate by 1/smoothing of
        /// the difference (1: no smoothing).
        public var smoothing: Int = 8
        /// A jump of the middle (ns) taken at once rather than smoothed.
        public var stepThreshold: Int64 = 2_000_000

        public init() {}
    }

    public let settings: Settings
    public private(set) var samples: [ClockSample] = []
    public private(set) var estimate: ClockEstimate?

    public init(settings: Settings = Settings()) {
        precondition(settings.window > 0, "clock discipline window must hold at least one sample")
        self.settings = settings
    }

    /// Adds one exchange (t1/t4 local monotonic ns, t2/t3 controller ns) and re-estimates.
    /// An exchange with a negative delay (a clock stepped mid-exchange) is dropped.
    @discardableResult
    public mutating func add(_ sample: ClockSample) -> ClockEstimate? {
        guard sample.delay >= 0 else { return estimate }
        samples.append(sample)
        let oldest = sample.t4 &- settings.maxAge
        if let keep = samples.firstIndex(where: { $0.t1 >= oldest }), keep > 0 { samples.removeFirst(keep) }
        if samples.count > settings.window { samples.removeFirst(samples.count - settings.window) }
        var fitted = Self.fit(samples, settings: settings, heldFrequency: estimate?.frequency ?? 0)
        while fitted == nil, samples.count > 1 {
            samples.removeFirst(samples.count / 2)
            fitted = Self.fit(samples, settings: settings, heldFrequency: estimate?.frequency ?? 0)
        }
        estimate = fitted.map { smoothed($0) }
        return estimate
    }

    /// The band's middle moves in small jumps as its support exchanges change; the estimate
    /// follows it through a first-order low-pass (a new middle counts `1/smoothing`), which
    /// halves the worst errors. A jump beyond `stepThreshold` is taken at once (a step of the
    /// controller's clock, the first exchanges).
    private func smoothed(_ fitted: ClockEstimate) -> ClockEstimate {
        guard let previous = estimate, settings.smoothing > 1 else { return fitted }
        let predicted = previous.offset(at: fitted.reference)
        let jump = fitted.offset &- predicted
        guard abs(jump) < settings.stepThreshold else { return fitted }
        var result = fitted
        result.offset = predicted &+ jump / Int64(settings.smoothing)
        result.bound = fitted.bound &+ abs(result.offset &- fitted.offset)
        return result
    }

    /// The band method on `samples` (oldest first); nil when they admit no line.
    public static func fit(_ samples: [ClockSample], settings: Settings, heldFrequency: Double = 0) -> ClockEstimate? {
        guard let newest = samples.last, let oldestSample = samples.first else { return nil }
        let band = Band(samples, reference: newest.t4, base: newest.offset)
        let frequency: Double
        if newest.t4 &- oldestSample.t1 < settings.frequencySpan || samples.count < 4 {
            frequency = max(-settings.maxFrequency, min(settings.maxFrequency, heldFrequency))
        } else {
            frequency = band.centroidSlope(within: settings.maxFrequency)
        }
        let (upper, lower) = band.edges(slope: frequency)
        guard upper >= lower else { return nil }
        return ClockEstimate(reference: newest.t4, offset: newest.offset &+ Int64(((upper + lower) / 2).rounded()),
                             frequency: frequency, bound: Int64(((upper - lower) / 2).rounded()), samples: samples.count)
    }

    /// The bounds as points relative to a reference instant and a base offset (small numbers,
    /// exact in a Double), each side cut to its convex hull: only hull vertices can be the
    /// tightest bound for some slope, and a hull of thousands of exchanges has a few dozen.
    struct Band {
        /// Lower hull of (t1 − reference, t2 − t1 − base): the offset is at most these.
        var upper: [(x: Double, y: Double)]
        /// Upper hull of (t4 − reference, t3 − t4 − base): the offset is at least these.
        var lower: [(x: Double, y: Double)]

        /// The mean instants of each side's exchanges.
        var upperCentroid = 0.0, lowerCentroid = 0.0

        init(_ samples: [ClockSample], reference: Int64, base: Int64) {
            let up = samples.map { (x: Double($0.t1 &- reference), y: Double($0.t2 &- $0.t1 &- base)) }
            let down = samples.map { (x: Double($0.t4 &- reference), y: Double($0.t3 &- $0.t4 &- base)) }
            upperCentroid = up.reduce(0) { $0 + $1.x } / Double(max(1, up.count))
            lowerCentroid = down.reduce(0) { $0 + $1.x } / Double(max(1, down.count))
            upper = Self.hull(up, keepingTurn: 1)
            lower = Self.hull(down, keepingTurn: -1)
        }

        /// Each side's own line: the one under (over) its exchanges closest to them in sum —
        /// tangent to the hull at the side's centroid — and the two slopes' mean.
        func centroidSlope(within limit: Double) -> Double {
            let up = Self.maximise({ b in upper.reduce(Double.infinity) { min($0, $1.y - b * ($1.x - upperCentroid)) } }, within: limit)
            let down = Self.maximise({ b in -lower.reduce(-Double.infinity) { max($0, $1.y - b * ($1.x - lowerCentroid)) } }, within: limit)
            return (up + down) / 2
        }

        /// The middle of the slopes at which concave `f` is highest, within ±limit.
        static func maximise(_ f: (Double) -> Double, within limit: Double) -> Double {
            let ratio = (5.0.squareRoot() - 1) / 2
            var lo = -limit, hi = limit
            var c = hi - ratio * (hi - lo), d = lo + ratio * (hi - lo)
            var fc = f(c), fd = f(d)
            for _ in 0..<80 {
                if fc >= fd {
                    hi = d; d = c; fd = fc
                    c = hi - ratio * (hi - lo); fc = f(c)
                } else {
                    lo = c; c = d; fc = fd
                    d = lo + ratio * (hi - lo); fd = f(d)
                }
            }
            let best = (lo + hi) / 2, level = f(best) - 1
            func edge(_ inside: Double, _ outside: Double) -> Double {
                var inside = inside, outside = outside
                if f(outside) >= level { return outside }
                for _ in 0..<60 {
                    let middle = (inside + outside) / 2
                    if f(middle) >= level { inside = middle } else { outside = middle }
                }
                return inside
            }
            return (edge(best, -limit) + edge(best, limit)) / 2
        }

        /// Andrew's monotone chain: the lower hull (turn +1) or the upper hull (turn −1).
        static func hull(_ points: [(x: Double, y: Double)], keepingTurn turn: Double) -> [(x: Double, y: Double)] {
            let sorted = zip(points, points.dropFirst()).allSatisfy { $0.x <= $1.x } ? points : points.sorted { $0.x < $1.x }
            var hull: [(x: Double, y: Double)] = []
            hull.reserveCapacity(64)
            for p in sorted {
                while hull.count >= 2 {
                    let o = hull[hull.count - 2], a = hull[hull.count - 1]
                    let cross = (a.x - o.x) * (p.y - o.y) - (a.y - o.y) * (p.x - o.x)
                    guard cross * turn <= 0 else { break }
                    hull.removeLast()
                }
                hull.append(p)
            }
            return hull
        }

        /// A(b) and B(b): the band at the reference for slope b.
        func edges(slope b: Double) -> (upper: Double, lower: Double) {
            var a = Double.infinity, l = -Double.infinity
            for p in upper { a = min(a, p.y - b * p.x) }
            for p in lower { l = max(l, p.y - b * p.x) }
            return (a, l)
        }

    }
}
