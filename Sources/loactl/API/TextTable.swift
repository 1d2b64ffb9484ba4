/// Columns aligned with spaces, a header row, for terminals and `grep`.
struct TextTable: Equatable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) { self.headers = headers }

    mutating func add(_ cells: String...) { rows.append(cells) }
    mutating func add(_ cells: [String]) { rows.append(cells) }

    /// Each column as wide as its widest cell (counted in characters, so Vietnamese names with
    /// combining marks line up); the last column is not padded. An empty table says so.
    func render(empty: String = "(none)") -> String {
        guard !rows.isEmpty else { return empty }
        let all = [headers] + rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
