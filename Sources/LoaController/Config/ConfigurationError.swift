/// Why a configuration was refused; every case names the file, key or variable to fix.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int, column: Int, message: String)
    /// A key or section the controller does not know (a typo would otherwise be ignored silently).
    case unknownKey(String, source: String, line: Int? = nil)
    case wrongType(key: String, expected: String, found: String, source: String, line: Int? = nil)
    case invalid(key: String, value: String, reason: String)

    public var description: String {
        func at(_ source: String, _ line: Int?) -> String { line.map { "\(source):\($0)" } ?? source }
        switch self {
        case let .unreadable(path, reason):
            return "cannot read configuration file \(path): \(reason)"
        case let .syntax(path, line, column, message):
            return "\(path):\(line):\(column): not valid TOML: \(message)"
        case let .unknownKey(key, source, line):
            return "\(at(source, line)): unknown key '\(key)' (see docs/CONFIG-controller.md for the keys)"
        case let .wrongType(key, expected, found, source, line):
            return "\(at(source, line)): '\(key)' must be \(expected), found \(found)"
        case let .invalid(key, value, reason):
            return "'\(key)' = \(value): \(reason)"
        }
    }
}
