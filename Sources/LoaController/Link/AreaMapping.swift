import Foundation

/// The explicit table from the upstream's area ids to this controller's (`upstream.area_map`,
/// entries `"UPSTREAM-AREA = LOCAL-AREA"`). Nothing is mapped by name alone: an offer for an
/// upstream area missing from the table is refused, not guessed.
public struct AreaMapping: Sendable, Equatable {
    public private(set) var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    /// Parses the config's entries; the error says which entry and why.
    public static func parse(_ lines: [String]) -> Result<AreaMapping, MappingError> {
        var entries: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                  Identifier.isValid(parts[0], .area), Identifier.isValid(parts[1], .area) else {
                return .failure(MappingError(entry: line, reason: "write \"UPSTREAM-AREA = LOCAL-AREA\" with two area ids"))
            }
            guard entries[parts[0]] == nil else {
                return .failure(MappingError(entry: line, reason: "'\(parts[0])' is mapped twice"))
            }
            entries[parts[0]] = parts[1]
        }
        return .success(AreaMapping(entries))
    }

    public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var entry: String
        public var reason: String
        public var description: String { "\"\(entry)\": \(reason)" }
    }

    public func local(for upstreamArea: String) -> String? { entries[upstreamArea] }

    /// The first entry naming a local area that does not exist, as the error to show (sorted, so
    /// the same table always names the same entry).
    public func check(localAreas: Set<String>) -> LinkError? {
        for (upstream, local) in entries.sorted(by: { $0.key < $1.key }) where !localAreas.contains(local) {
            return .unknownLocalArea(upstreamArea: upstream, localArea: local)
        }
        return nil
    }
}

/// Link cycles (A upstream of B upstream of A): every pull carries the identities of the
/// controller pulling and of all controllers below it; an upstream that finds its own identity
/// there refuses the pull (409), and so the cycle never carries a bulletin round.
public enum LinkChain {
    /// At most this many identities: deeper than any real hierarchy (centre, province, district).
    public static let limit = 16

    /// The header value's identities (comma-separated), or nil when malformed.
    public static func parse(_ header: String?) -> [String]? {
        guard let header, !header.isEmpty else { return [] }
        let ids = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard ids.count <= limit, ids.allSatisfy({ !$0.isEmpty && Identifier.isValid($0, .area) }) else { return nil }
        return ids
    }

    /// The chain this controller sends up: itself first, then every identity its own
    /// downstreams reported, each once, in the order first seen.
    public static func outgoing(own: String, below: [[String]]) -> [String] {
        var chain = [own]
        for id in below.joined() where !chain.contains(id) && chain.count < limit { chain.append(id) }
        return chain
    }

    /// Whether an incoming chain makes a cycle through `own`.
    public static func isCycle(_ chain: [String], own: String) -> Bool { chain.contains(own) }

    public static func header(_ chain: [String]) -> String { chain.joined(separator: ",") }
}
