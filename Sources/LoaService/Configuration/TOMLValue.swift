/// Where and why a text is not TOML.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "\(line):\(column): \(message)" }
}

/// A table: its keys in the order they were written, each with its value and line.
public struct TOMLTable: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]

    public struct Entry: Equatable, Sendable {
        public var value: TOMLValue
        /// The line the key was written on (for a table: its header or first dotted key).
        public var line: Int
    }

    public subscript(key: String) -> Entry? { entries[key] }

    mutating func insert(_ key: String, _ entry: Entry) {
        if entries[key] == nil { keys.append(key) }
        entries[key] = entry
    }
}

public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// An offset or local date-time, date or time, as written (no setting takes one).
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The type's name in an error: "a string", "an integer", …
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .boolean: "a boolean"
        case .dateTime: "a date or time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}
