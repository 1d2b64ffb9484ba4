/// Builds the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` once per family,
/// then one sample per line with escaped label values.
struct PrometheusText {
    private(set) var output = ""

    typealias Labels = [(String, String)]

    mutating func counter(_ name: String, _ help: String, _ samples: [(Labels, Double)]) {
        family(name, help, type: "counter", samples)
    }

    mutating func gauge(_ name: String, _ help: String, _ samples: [(Labels, Double)]) {
        family(name, help, type: "gauge", samples)
    }

    /// `buckets` are (upper bound, cumulative count); the +Inf bucket equals `count`.
    mutating func histogram(_ name: String, _ help: String, buckets: [(Double, Double)], count: Double, sum: Double) {
        header(name, help, type: "histogram")
        for (bound, value) in buckets { sample("\(name)_bucket", [("le", Self.format(bound))], value) }
        sample("\(name)_bucket", [("le", "+Inf")], count)
        sample("\(name)_sum", [], sum)
        sample("\(name)_count", [], count)
    }

    private mutating func family(_ name: String, _ help: String, type: String, _ samples: [(Labels, Double)]) {
        header(name, help, type: type)
        for (labels, value) in samples { sample(name, labels, value) }
    }

    private mutating func header(_ name: String, _ help: String, type: String) {
        output += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))\n"
        output += "# TYPE \(name) \(type)\n"
    }

    private mutating func sample(_ name: String, _ labels: Labels, _ value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        output += " \(Self.format(value))\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a decimal point; others in Swift's shortest round-trip form.
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
