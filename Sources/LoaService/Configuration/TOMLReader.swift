/// A TOML 1.0 reader for the daemons' configuration files, written here because the TOML
/// package (TOMLKit) imports Foundation, and the gateway links FoundationEssentials only
/// (docs/ARCHITECTURE.md). It reads every TOML value a configuration can hold — basic, literal
/// and multi-line strings, integers (decimal, 0x, 0o, 0b, with `_`), floats (with exponents,
/// inf, nan), booleans, arrays, inline tables, dates and times (kept as their text) — tables and
/// dotted keys, and knows the line of every key, so an error can point into the file. Arrays of
/// tables (`[[name]]`) are refused in words: no daemon setting is one.
///
/// Pure: text in, a tree or a `TOMLSyntaxError` with line and column out.
public enum TOMLReader {
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var scanner = Scanner(bytes: Array(text.utf8))
        return try scanner.document()
    }
}

extension TOMLReader {
    /// The document being built: the root and, for each table, how it came to be, so that a
    /// table is defined once and an inline table or a value is never extended.
    /// Why a key or table cannot go where the document puts it.
    struct Conflict: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    struct Builder {
        enum Origin { case header, dottedKey, implicit, inline }
        var root = TOMLTable()
        var origins: [[String]: Origin] = [[]: .header]
        /// Tables whose header has been written, and the tables dotted keys created under each.
        var headers: Set<[String]> = []

        func table(at path: [String]) -> TOMLTable? {
            var table = root
            for key in path {
                guard case .table(let next)? = table[key]?.value else { return nil }
                table = next
            }
            return table
        }

        /// Applies `change` to the table at `path`, creating missing tables as `origin`.
        mutating func update(_ path: [String], line: Int, creating origin: Origin,
                             _ change: (inout TOMLTable) throws(Conflict) -> Void) throws(Conflict) {
            try Self.update(&root, path[...], prefix: [], line: line, origin: origin, origins: &origins, change)
        }

        private static func update(_ table: inout TOMLTable, _ path: ArraySlice<String>, prefix: [String], line: Int, origin: Origin,
                                   origins: inout [[String]: Origin], _ change: (inout TOMLTable) throws(Conflict) -> Void) throws(Conflict) {
            guard let key = path.first else { return try change(&table) }
            let here = prefix + [key]
            var child: TOMLTable
            switch table[key]?.value {
            case nil:
                child = TOMLTable()
                origins[here] = path.count == 1 ? origin : (origin == .header ? .implicit : origin)
            case .table(let existing)?:
                if origins[here] == .inline { throw Conflict("'\(here.joined(separator: "."))' is an inline table and cannot be extended") }
                child = existing
            case let value?:
                throw Conflict("'\(here.joined(separator: "."))' is already \(value.typeName), not a table")
            }
            try update(&child, path.dropFirst(), prefix: here, line: line, origin: origin, origins: &origins, change)
            table.insert(key, .init(value: .table(child), line: table[key]?.line ?? line))
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var builder = Builder()

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        /// A place in the text, to point an error at where a key began.
        struct Mark { let line: Int, lineStart: Int, index: Int }
        var mark: Mark { Mark(line: line, lineStart: lineStart, index: index) }

        func fail(_ message: String, at place: Mark? = nil) -> TOMLSyntaxError {
            let place = place ?? mark
            let column = String(decoding: bytes[place.lineStart..<min(place.index, bytes.count)], as: UTF8.self).count + 1
            return TOMLSyntaxError(line: place.line, column: column, message: message)
        }
        func starts(with text: String) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
        }

        mutating func advance(_ count: Int = 1) { index += count }
        mutating func newline() throws(TOMLSyntaxError) -> Bool {
            if current == 0x0A { advance(); line += 1; lineStart = index; return true }
            if current == 0x0D {
                guard peek(1) == 0x0A else { throw fail("a carriage return not followed by a line feed") }
                advance(2); line += 1; lineStart = index; return true
            }
            return false
        }
        mutating func skipSpaces() { while current == 0x20 || current == 0x09 { advance() } }
        mutating func skipComment() throws(TOMLSyntaxError) {
            guard current == UInt8(ascii: "#") else { return }
            while let byte = current, byte != 0x0A, byte != 0x0D {
                if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a comment") }
                advance()
            }
        }
        /// Spaces, comments and newlines, as between array elements.
        mutating func skipBlank() throws(TOMLSyntaxError) {
            while true {
                skipSpaces()
                try skipComment()
                guard try newline() else { return }
            }
        }
        mutating func endOfLine() throws(TOMLSyntaxError) {
            skipSpaces()
            try skipComment()
            if current == nil { return }
            guard try newline() else { throw fail("expected the end of the line") }
        }

        mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
            if starts(with: "\u{FEFF}") { advance(3); lineStart = index }
            var table: [String] = []
            while true {
                try skipBlank()
                guard let byte = current else { return builder.root }
                let start = mark
                if byte == UInt8(ascii: "[") {
                    if peek(1) == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not used in Loa's configuration") }
                    advance()
                    skipSpaces()
                    table = try key()
                    skipSpaces()
                    guard current == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
                    advance()
                    try endOfLine()
                    try define(table, at: start)
                } else {
                    let path = try key()
                    skipSpaces()
                    guard current == UInt8(ascii: "=") else { throw fail("expected '=' after the key") }
                    advance()
                    skipSpaces()
                    let value = try self.value()
                    try assign(value, to: table, path, at: start)
                    try endOfLine()
                }
            }
        }

        mutating func define(_ path: [String], at start: Mark) throws(TOMLSyntaxError) {
            let line = start.line
            let name = path.joined(separator: ".")
            if builder.headers.contains(path) { throw fail("table [\(name)] is defined twice", at: start) }
            if let origin = builder.origins[path], origin == .dottedKey || origin == .inline {
                throw fail("table [\(name)] was already defined by its keys", at: start)
            }
            builder.headers.insert(path)
            do {
                try builder.update(path, line: line, creating: .header) { _ throws(Conflict) in }
            } catch { throw fail(error.message, at: start) }
            builder.origins[path] = .header
        }

        mutating func assign(_ value: TOMLValue, to table: [String], _ path: [String], at start: Mark) throws(TOMLSyntaxError) {
            let line = start.line
            let parents = Array(path.dropLast()), last = path[path.count - 1]
            for end in parents.indices {
                let prefix = table + parents[...end]
                if builder.headers.contains(prefix) || builder.origins[prefix] == .header {
                    throw fail("table '\(prefix.joined(separator: "."))' was defined by a header and cannot be extended by a dotted key", at: start)
                }
            }
            do {
                try builder.update(table + parents, line: line, creating: .dottedKey) { target throws(Conflict) in
                    if target[last] != nil { throw Conflict("key '\((table + path).joined(separator: "."))' is defined twice") }
                    target.insert(last, .init(value: value, line: line))
                }
            } catch { throw fail(error.message, at: start) }
            if case .table = value { builder.origins[table + path] = .inline }
        }

        /// A key: bare or quoted parts joined by dots.
        mutating func key() throws(TOMLSyntaxError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                switch current {
                case UInt8(ascii: "\"")?:
                    if starts(with: "\"\"\"") { throw fail("a key cannot be a multi-line string") }
                    parts.append(try basicString())
                case UInt8(ascii: "'")?:
                    if starts(with: "'''") { throw fail("a key cannot be a multi-line string") }
                    parts.append(try literalString())
                default:
                    let start = index
                    while let byte = current, Self.isBare(byte) { advance() }
                    guard index > start else { throw fail("expected a key") }
                    parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                }
                skipSpaces()
                guard current == UInt8(ascii: ".") else { return parts }
                advance()
            }
        }

        static func isBare(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }

        mutating func value() throws(TOMLSyntaxError) -> TOMLValue {
            switch current {
            case nil, 0x0A?, 0x0D?: throw fail("expected a value")
            case UInt8(ascii: "\"")?:
                return .string(starts(with: "\"\"\"") ? try multilineString(quote: UInt8(ascii: "\"")) : try basicString())
            case UInt8(ascii: "'")?:
                return .string(starts(with: "'''") ? try multilineString(quote: UInt8(ascii: "'")) : try literalString())
            case UInt8(ascii: "[")?: return try array()
            case UInt8(ascii: "{")?: return try inlineTable()
            default:
                if starts(with: "true"), !(peek(4).map(Self.isBare) ?? false) { advance(4); return .boolean(true) }
                if starts(with: "false"), !(peek(5).map(Self.isBare) ?? false) { advance(5); return .boolean(false) }
                return try scalar()
            }
        }

        mutating func array() throws(TOMLSyntaxError) -> TOMLValue {
            advance()
            var elements: [TOMLValue] = []
            while true {
                try skipBlank()
                if current == UInt8(ascii: "]") { advance(); return .array(elements) }
                elements.append(try value())
                try skipBlank()
                if current == UInt8(ascii: ",") { advance(); continue }
                guard current == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
            }
        }

        mutating func inlineTable() throws(TOMLSyntaxError) -> TOMLValue {
            advance()
            var nested = Builder()
            swap(&nested, &builder)
            defer { swap(&nested, &builder) }
            skipSpaces()
            if current == UInt8(ascii: "}") { advance(); return .table(TOMLTable()) }
            while true {
                skipSpaces()
                let start = mark
                let path = try key()
                guard current == UInt8(ascii: "=") else { throw fail("expected '=' after the key") }
                advance()
                skipSpaces()
                try assign(try value(), to: [], path, at: start)
                skipSpaces()
                if current == UInt8(ascii: ",") { advance(); continue }
                guard current == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in the inline table (on one line)") }
                advance()
                return .table(builder.root)
            }
        }
    }
}
