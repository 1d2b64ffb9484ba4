import Foundation

/// Finds the line of `key = …` under `[section]`, so errors point into the file (TOMLKit does
/// not expose value positions). Good enough for the flat two-level files both daemons read.
public struct KeyLines: Sendable {
    private var positions: [String: Int] = [:]

    public init(text: String) {
        var section: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
                let name = line[line.index(after: line.startIndex)..<end].trimmingCharacters(in: .whitespaces)
                section = name
                positions[name] = positions[name] ?? index + 1
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                let dotted = section.map { "\($0).\(key)" } ?? key
                positions[dotted] = positions[dotted] ?? index + 1
            }
        }
    }

    public func line(section: String?, key: String) -> Int? {
        positions[section.map { "\($0).\(key)" } ?? key]
    }
}
