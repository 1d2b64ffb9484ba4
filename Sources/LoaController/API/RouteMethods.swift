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

    /// The methods some route takes at `path`, sorted; empty when no route matches it at all.
    func allowed(at path: String) -> [String] {
        let components = path.split(separator: "/")
        let methods = routes.withLock { routes in
            routes.filter { Self.matches($0.pattern, components) }.map(\.method)
        }
        return Array(Set(methods)).sorted()
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
