import Foundation

extension ControllerMetrics {
    /// The link's gauges and counters in Prometheus text, read from its monitor at scrape time.
    public func renderLink(_ monitor: LinkMonitor) -> String {
        var text = PrometheusText()
        if let upstream = monitor.upstream {
            let labels = [("upstream", upstream.url)]
            text.gauge("loa_upstream_link_connected", "1 when the last sync with the upstream succeeded, else 0.",
                       [(labels, upstream.state == "connected" ? 1 : 0)])
            text.gauge("loa_upstream_link_last_success_timestamp_seconds", "When the last sync with the upstream succeeded (Unix time; 0: never).",
                       [(labels, upstream.lastSuccess?.timeIntervalSince1970 ?? 0)])
            text.gauge("loa_upstream_link_backoff_seconds", "How long the link waits before its next try after a failure (0 after a success).",
                       [(labels, upstream.backoffSeconds)])
            text.gauge("loa_upstream_link_failures", "Failed syncs with the upstream in a row.", [(labels, Double(upstream.failures))])
            text.gauge("loa_upstream_link_cursor", "The last offer id taken from the upstream.", [(labels, Double(upstream.cursor))])
            text.counter("loa_upstream_link_offers_total", "Offers taken from the upstream (sent down or refused) since start.",
                         [(labels, Double(upstream.offersTaken))])
            text.counter("loa_upstream_link_errors_total", "Failed syncs with the upstream since start, by reason.",
                         upstream.errorsTotal.sorted { $0.key < $1.key }.map { (labels + [("reason", $0.key)], Double($0.value)) })
        }
        let downstreams = monitor.downstreams
        if !downstreams.isEmpty {
            text.gauge("loa_downstream_link_last_pull_timestamp_seconds", "When each downstream last pulled offers (Unix time; 0: never).",
                       downstreams.map { ([("downstream", $0.name)], $0.lastPull?.timeIntervalSince1970 ?? 0) })
            text.counter("loa_downstream_link_cycle_refusals_total", "Pulls refused because they would close a link cycle, by downstream.",
                         downstreams.map { ([("downstream", $0.name)], Double($0.refusals)) })
        }
        return text.output
    }
}
