import Foundation
import LoaService

extension ControllerConfiguration {
    /// `[link]` and `[upstream]` checked and parsed; nil when neither is used.
    public func linkSettings() throws(ConfigurationError) -> LinkSettings? {
        guard !upstream.url.isEmpty || !link.downstreams.isEmpty else { return nil }
        guard Identifier.isValid(link.identity, .area) else {
            throw .invalid(key: "link.identity", value: "\"\(link.identity)\"",
                           reason: "a linked controller needs an identity, lowercase letters, digits and dashes unique in the hierarchy, e.g. \"tinh-ha-tinh\"")
        }
        var downstreams: [LinkSettings.Downstream] = []
        for entry in link.downstreams {
            switch LinkSettings.Downstream.parse(entry) {
            case .success(let downstream):
                guard !downstreams.contains(where: { $0.name == downstream.name }) else {
                    throw .invalid(key: "link.downstreams", value: "\"\(entry)\"", reason: "the name '\(downstream.name)' is listed twice")
                }
                downstreams.append(downstream)
            case .failure(let error):
                throw .invalid(key: "link.downstreams", value: "\"\(entry)\"", reason: error.reason)
            }
        }
        return LinkSettings(identity: link.identity, downstreams: downstreams, upstream: try upstreamSettings())
    }

    private func upstreamSettings() throws(ConfigurationError) -> LinkSettings.Upstream? {
        let u = upstream
        guard !u.url.isEmpty else { return nil }
        guard let url = URL(string: u.url), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
            throw .invalid(key: "upstream.url", value: "\"\(u.url)\"", reason: "give the upstream's base URL, http://HOST:PORT or https://HOST:PORT (https: TLS, checked against the system's trusted CAs)")
        }
        guard Identifier.isValid(u.name, .area) else {
            throw .invalid(key: "upstream.name", value: "\"\(u.name)\"", reason: "the name the upstream lists this link under in its link.downstreams")
        }
        guard u.key.isEmpty != u.keyFile.isEmpty else {
            throw .invalid(key: "upstream.key", value: "(\(u.key.isEmpty ? "unset" : "set"))", reason: "set upstream.key or upstream.key_file, one of the two")
        }
        var key = u.key
        if !u.keyFile.isEmpty {
            guard let text = try? String(contentsOfFile: u.keyFile, encoding: .utf8) else {
                throw .invalid(key: "upstream.key_file", value: u.keyFile, reason: "no readable file there")
            }
            key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard key.count >= 16 else {
            throw .invalid(key: u.keyFile.isEmpty ? "upstream.key" : "upstream.key_file", value: "(\(key.count) characters)", reason: "a link key has at least 16 characters")
        }
        guard (1...3_600).contains(u.pollSeconds) else {
            throw .invalid(key: "upstream.poll_seconds", value: "\(u.pollSeconds)", reason: "must be 1–3600 s")
        }
        guard (1...3_600).contains(u.backoffMaxSeconds) else {
            throw .invalid(key: "upstream.backoff_max_seconds", value: "\(u.backoffMaxSeconds)", reason: "must be 1–3600 s")
        }
        let mapping: AreaMapping
        switch AreaMapping.parse(u.areaMap) {
        case .success(let parsed): mapping = parsed
        case .failure(let error): throw .invalid(key: "upstream.area_map", value: "\"\(error.entry)\"", reason: error.reason)
        }
        guard !mapping.entries.isEmpty else {
            throw .invalid(key: "upstream.area_map", value: "[]", reason: "map at least one of the upstream's areas to one of this controller's: [\"UPSTREAM-AREA = LOCAL-AREA\"]")
        }
        return LinkSettings.Upstream(url: url, name: u.name, key: key, pollSeconds: u.pollSeconds, backoffMaxSeconds: u.backoffMaxSeconds, mapping: mapping)
    }
}
