import Foundation
internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    /// How many runs are in each status, for metrics and readiness checks.
    public func runCounts() async throws -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM run GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }
}
