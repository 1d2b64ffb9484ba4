extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks: Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` for the short texts the daemons read
    /// (a configuration value, a number in a file), without Foundation.
    public var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
