import Foundation
internal import GRDB

extension WorkflowStore {
    /// How many runs are in each status, for metrics and readiness checks.
    public func runCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM run GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }
}
