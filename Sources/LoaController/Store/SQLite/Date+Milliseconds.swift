import Foundation

extension Date {
    /// The store keeps instants as integer milliseconds since 1970 UTC, the same in SQLite and PostgreSQL.
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}

extension Optional where Wrapped == Date {
    var millisecondsSince1970: Int64? { map(\.millisecondsSince1970) }
}
