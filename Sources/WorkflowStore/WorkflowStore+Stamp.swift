import Foundation
internal import GRDB

extension WorkflowStore {
    /// A value that changes whenever any workflow is added or written (every write moves its `updatedAt` forward),
    /// so that what is derived from the workflows can be kept until they change, in this process or another.
    public func workflowsStamp() throws -> String {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(updatedAt), 0) AS total FROM workflow")
            return "\(row?["n"] as Int64? ?? 0):\(row?["total"] as Int64? ?? 0)"
        }
    }
}
