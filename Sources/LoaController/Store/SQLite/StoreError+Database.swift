import GRDB

extension StoreError {
    /// Maps whatever a database closure threw; constraint failures keep SQLite's message,
    /// which names the table and column.
    init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT {
                self = .constraint(error.message ?? "\(error)")
            } else {
                self = .database(error.message ?? "\(error)")
            }
        } else {
            self = .database("\(error)")
        }
    }
}
