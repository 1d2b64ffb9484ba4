import Foundation
import Testing
@testable import LoaController

/// docs/openapi.yaml and the router list the same routes: every route the server registers is
/// documented, and nothing documented is missing from the server.
struct OpenAPIRouteTests {
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return url
    }

    /// "METHOD /path" for each operation under `paths:` (two-space path keys, four-space methods).
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var routes = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if let first = line.first, first != " ", first != "#" { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(key)) { routes.insert("\(key.uppercased()) \(path)") }
            }
        }
        return routes
    }

    static func registeredRoutes() async throws -> Set<String> {
        let h = try await APIHarness.start()
        let routes = h.router.routes.map { route -> String in
            var path = route.path.description.replacingOccurrences(of: "**", with: "{path}")
            if !path.hasPrefix("/") { path = "/" + path }
            return "\(route.method.rawValue) \(path)"
        }
        await h.stop()
        return Set(routes)
    }

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() async throws {
        let documented = try Self.documentedRoutes()
        let registered = try await Self.registeredRoutes()
        #expect(registered.count >= 38, "\(registered.sorted())")
        #expect(registered.subtracting(documented).isEmpty, "not in docs/openapi.yaml: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered).sorted())")
    }
}
