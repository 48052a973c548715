import Foundation
internal import GRDB
import WorkflowRepository

extension StoreError {
    /// A failure of the database at `path` in words a person can act on: what is wrong with the file and what to
    /// do, never the SQL that was running.
    init(sqlite error: any Error, path: String, busyTimeout: Duration) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(.database, "the database \(path) failed: \(error)")
            return
        }
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "the database \(path) stayed locked by another process for more than \(busyTimeout)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self.init(.corrupt, "the database \(path) is damaged (\(reason)); check it with: sqlite3 \(path) 'PRAGMA integrity_check'")
        case .SQLITE_READONLY:
            self.init(
                .readOnly,
                "the database \(path) is read-only: \(reason); make the file and its folder writable, or use another database (--db)")
        default:
            self.init(.database, "the database \(path) failed: \(reason)")
        }
    }
}
