/// Why a daemon's configuration was refused; every case names the file, key or variable to fix.
/// One type for both daemons, so their messages and `--check-config` answers read alike.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case syntax(source: String, line: Int, column: Int, message: String)
    /// A section, key or variable the daemon does not know (a typo would otherwise be ignored);
    /// `reference` names the document that lists the keys.
    case unknownKey(String, source: String, line: Int? = nil, reference: String = "")
    case wrongType(key: String, expected: String, found: String, source: String, line: Int? = nil)
    case missing(key: String, hint: String)
    case invalid(key: String, value: String, reason: String)

    /// The dotted key (or variable) the error is about, nil for file-level errors.
    public var key: String? {
        switch self {
        case .unreadable, .syntax: nil
        case .unknownKey(let key, _, _, _), .wrongType(let key, _, _, _, _), .missing(let key, _), .invalid(let key, _, _): key
        }
    }

    public var description: String {
        func at(_ source: String, _ line: Int?) -> String { line.map { "\(source):\($0)" } ?? source }
        switch self {
        case let .unreadable(path, reason):
            return "cannot read configuration file \(path): \(reason)"
        case let .syntax(source, line, column, message):
            return "\(source):\(line):\(column): not valid TOML: \(message)"
        case let .unknownKey(key, source, line, reference):
            return "\(at(source, line)): unknown key '\(key)'" + (reference.isEmpty ? "" : " (see \(reference) for the keys)")
        case let .wrongType(key, expected, found, source, line):
            return "\(at(source, line)): '\(key)' must be \(expected), found \(found)"
        case let .missing(key, hint):
            return "'\(key)' is missing: \(hint)"
        case let .invalid(key, value, reason):
            return "'\(key)' = \(value): \(reason)"
        }
    }
}
