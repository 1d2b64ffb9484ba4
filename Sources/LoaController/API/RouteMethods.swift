import Hummingbird
import Synchronization

/// The methods each route of the API takes, so that a known path asked with the wrong method is
/// answered 405 `method_not_allowed` with `Allow` (Hummingbird's router answers 404 for both).
/// Filled once the routes are registered; read by `APIErrorMiddleware`.
final class RouteMethods: Sendable {
    private let routes = Mutex<[(pattern: [Substring], method: String)]>([])

    /// Takes the router's route list (paths like `/api/v1/users/{username}`, `console/**`).
    func record(_ described: [(path: String, method: String)]) {
        let parsed = described.map { (pattern: $0.path.split(separator: "/"), method: $0.method) }
        routes.withLock { $0 = parsed }
    }

    /// The methods the route at `path` takes, sorted; empty when no route matches it at all.
    /// Where a literal route and a captured one both match (`schedules/preview` and
    /// `schedules/{id}`), the literal one is the route, as in the router's trie.
    func allowed(at path: String) -> [String] {
        let components = path.split(separator: "/")
        let matching = routes.withLock { routes in routes.filter { Self.matches($0.pattern, components) } }
        guard let best = matching.map({ Self.literals($0.pattern) }).max(by: { $0.lexicographicallyPrecedes($1) }) else {
            return []
        }
        return Array(Set(matching.filter { Self.literals($0.pattern) == best }.map(\.method))).sorted()
    }

    /// 1 for each literal component, 0 for a capture or wildcard: the more literal, the more specific.
    static func literals(_ pattern: [Substring]) -> [Int] {
        pattern.map { ($0.first == "{" && $0.last == "}") || $0.contains("*") ? 0 : 1 }
    }

    /// `{name}` stands for one component, `**` for the rest (at least nothing).
    static func matches(_ pattern: [Substring], _ components: [Substring]) -> Bool {
        var index = 0
        for part in pattern {
            if part == "**" { return true }
            guard index < components.count else { return false }
            if !(part.first == "{" && part.last == "}") && part != components[index] { return false }
            index += 1
        }
        return index == components.count
    }
}
