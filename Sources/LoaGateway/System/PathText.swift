/// The two path operations the gateway needs of NSString, without Foundation (the gateway
/// links FoundationEssentials only): a path's directory and its last component, with trailing
/// slashes ignored as NSString ignores them.
enum PathText {
    /// "/var/lib/loa/state.json" → "/var/lib/loa"; "/state" → "/"; "state" → "".
    static func directory(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return withoutTrailingSlashes(String(trimmed[..<slash]))
    }

    /// "/var/lib/loa/state.json" → "state.json"; "/" → "/".
    static func lastComponent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
