import Foundation
import LoaProtocol
import Synchronization

/// The controller's counters for Prometheus: gateway protocol messages and bytes, session errors,
/// as-played events, ingest time, and HTTP requests. Updated from any thread (one lock, no
/// allocation beyond the first sight of a label); rendered by `PrometheusText`.
public final class ControllerMetrics: Sendable {
    /// Upper bounds (seconds) of the ingest-duration histogram buckets; +Inf is implied.
    public static let ingestBuckets: [Double] = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]

    struct State: Sendable {
        var messagesIn: [String: UInt64] = [:]
        var messagesOut: [String: UInt64] = [:]
        var bytesIn: UInt64 = 0
        var bytesOut: UInt64 = 0
        var sessionErrors: [String: UInt64] = [:]
        var plays: [String: UInt64] = [:]
        var ingestBucketCounts = [UInt64](repeating: 0, count: ControllerMetrics.ingestBuckets.count)
        var ingestCount: UInt64 = 0
        var ingestSum: Double = 0
        var ingestOutcomes: [String: UInt64] = [:]
        var http: [HTTPKey: UInt64] = [:]
        var liveDropped: [String: UInt64] = [:]
        var healthDropped: [String: UInt64] = [:]
        var relaySilences: UInt64 = 0
        var listenersCut: UInt64 = 0
        /// Each gateway's latest sync figures, by gauge name.
        var sync: [String: [String: Double]] = [:]
    }

    /// The per-gateway sync gauges: name, help text, and where a health report has the figure.
    static let syncGauges: [(name: String, help: String, read: @Sendable (HealthReport) -> Double?)] = [
        ("loa_gateway_clock_offset_ms", "Controller time minus the gateway's system clock, from its latest health report, by gateway.",
         { $0.clockOffsetMs }),
        ("loa_gateway_clock_drift_ppm", "The controller clock's frequency against the gateway's monotonic clock (ppm), by gateway.",
         { $0.clockSync?.driftPpm }),
        ("loa_gateway_timeline_error_ms", "Where the gateway's sounding sample is against the time line (ms, positive ahead), by gateway.",
         { $0.clockSync?.timelineErrorMs }),
        ("loa_gateway_live_buffer_ms", "How long before its time the gateway's newest live payload arrived (ms), by gateway.",
         { $0.liveReception?.bufferMs.map(Double.init) }),
    ]

    struct HTTPKey: Hashable, Sendable {
        var method: String
        var route: String
        var status: Int
    }

    let state = Mutex(State())

    public init() {}

    public func messageReceived(type: String) { state.withLock { $0.messagesIn[type, default: 0] += 1 } }
    public func messageSent(type: String) { state.withLock { $0.messagesOut[type, default: 0] += 1 } }
    public func bytesReceived(_ count: Int) { state.withLock { $0.bytesIn += UInt64(max(0, count)) } }
    public func bytesSent(_ count: Int) { state.withLock { $0.bytesOut += UInt64(max(0, count)) } }
    /// A gateway session closed with an error, or a handshake was refused; `reason` is a short code.
    public func sessionError(_ reason: String) { state.withLock { $0.sessionErrors[reason, default: 0] += 1 } }
    public func playEvents(kind: String, count: Int = 1) { state.withLock { $0.plays[kind, default: 0] += UInt64(count) } }

    /// One ingest that took `seconds`; `outcome` is `ok` or the refusal's code.
    public func ingest(seconds: Double, outcome: String) {
        state.withLock { s in
            s.ingestOutcomes[outcome, default: 0] += 1
            s.ingestCount += 1
            s.ingestSum += seconds
            for (i, bound) in Self.ingestBuckets.enumerated() where seconds <= bound { s.ingestBucketCounts[i] += 1 }
        }
    }

    /// A live payload not sent to `gatewayID` because its connection was backlogged.
    public func livePayloadDropped(gatewayID: String) { state.withLock { $0.liveDropped[gatewayID, default: 0] += 1 } }

    /// A relay's upstream was reported silent.
    public func relaySilent() { state.withLock { $0.relaySilences += 1 } }

    /// A listen URL's listener fell too far behind and was cut loose.
    public func listenerCut() { state.withLock { $0.listenersCut += 1 } }
    /// The sync figures a gateway's health report carries (an "on change" report updates only
    /// those it has).
    public func gatewaySync(gateway gatewayID: String, report: HealthReport) {
        let figures = Self.syncGauges.map { ($0.name, $0.read(report)) }
        state.withLock { s in
            for case let (name, value?) in figures where value.isFinite { s.sync[gatewayID, default: [:]][name] = value }
        }
    }

    public func healthReportDropped(gateway gatewayID: String) { state.withLock { $0.healthDropped[gatewayID, default: 0] += 1 } }

    public func httpRequest(method: String, route: String, status: Int) {
        state.withLock { $0.http[HTTPKey(method: method, route: route, status: status), default: 0] += 1 }
    }

    /// Prometheus text format 0.0.4, with the live gauge read by the caller.
    public func render(gatewaysOnline: Int) -> String {
        let s = state.withLock { $0 }
        var text = PrometheusText()
        text.gauge("loa_gateways_online", "Gateways with an authenticated session now.", [([], Double(gatewaysOnline))])
        text.counter("loa_protocol_messages_received_total", "Gateway protocol messages received, by type.",
                     s.messagesIn.sorted { $0.key < $1.key }.map { ([("type", $0.key)], Double($0.value)) })
        text.counter("loa_protocol_messages_sent_total", "Gateway protocol messages sent, by type.",
                     s.messagesOut.sorted { $0.key < $1.key }.map { ([("type", $0.key)], Double($0.value)) })
        text.counter("loa_protocol_bytes_received_total", "Bytes read from gateway sockets (TLS records included).",
                     [([], Double(s.bytesIn))])
        text.counter("loa_protocol_bytes_sent_total", "Bytes written to gateway sockets (TLS records included).",
                     [([], Double(s.bytesOut))])
        text.counter("loa_protocol_errors_total", "Gateway sessions closed with an error or refused, by reason.",
                     s.sessionErrors.sorted { $0.key < $1.key }.map { ([("reason", $0.key)], Double($0.value)) })
        text.counter("loa_play_events_total", "As-played events received from gateways (a resent event counts again), by kind.",
                     s.plays.sorted { $0.key < $1.key }.map { ([("kind", $0.key)], Double($0.value)) })
        text.counter("loa_ingest_total", "Bulletin uploads processed, by outcome.",
                     s.ingestOutcomes.sorted { $0.key < $1.key }.map { ([("outcome", $0.key)], Double($0.value)) })
        text.histogram("loa_ingest_duration_seconds", "Time to check, decode, normalise, encode and store an upload.",
                       buckets: zip(Self.ingestBuckets, s.ingestBucketCounts).map { ($0, Double($1)) },
                       count: Double(s.ingestCount), sum: s.ingestSum)
        text.counter("loa_live_payloads_dropped_total",
                     "Live payloads (~240 ms each) not sent to a gateway whose connection was backlogged, by gateway.",
                     s.liveDropped.sorted { $0.key < $1.key }.map { ([("gateway", $0.key)], Double($0.value)) })
        text.counter("loa_health_reports_dropped_total",
                     "Health reports not stored because the gateway sent them faster than the rate limit, by gateway.",
                     s.healthDropped.sorted { $0.key < $1.key }.map { ([("gateway", $0.key)], Double($0.value)) })
        text.counter("loa_live_relay_silences_total",
                     "Times a relay's upstream stayed below live.relay_silence_dbfs for live.relay_silence_seconds.",
                     [([], Double(s.relaySilences))])
        text.counter("loa_live_listeners_cut_total",
                     "Listeners of a listen URL cut loose because they fell about 10 s behind.",
                     [([], Double(s.listenersCut))])
        for gauge in Self.syncGauges {
            text.gauge(gauge.name, gauge.help, s.sync.sorted { $0.key < $1.key }.compactMap { gateway, values in
                values[gauge.name].map { ([("gateway", gateway)], $0) }
            })
        }
        text.counter("loa_http_requests_total", "HTTP API requests, by method, route and status.",
                     s.http.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
                        .map { ([("method", $0.key.method), ("route", $0.key.route), ("status", "\($0.key.status)")], Double($0.value)) })
        return text.output
    }
}
