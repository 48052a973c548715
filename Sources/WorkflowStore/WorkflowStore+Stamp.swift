import Foundation
internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    /// Every write moves a workflow's `updatedAt` forward, so their count and sum change with every write, in this
    /// process or another.
    public func workflowsStamp() async throws -> String {
        try await read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(updatedAt), 0) AS total FROM workflow")
            return "\(row?["n"] as Int64? ?? 0):\(row?["total"] as Int64? ?? 0)"
        }
    }
}
