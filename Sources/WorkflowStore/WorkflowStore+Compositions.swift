internal import GRDB
import WorkflowModel

extension WorkflowStore {
    /// Saves a composition attempt, saved or not; a record with the same id is replaced.
    public func recordComposition(_ record: CompositionRecord) throws {
        try write { db in try CompositionRow(record).upsert(db) }
    }

    /// The compositions recorded for a workflow, oldest first; none for an unknown id.
    public func compositions(workflowID: Int64) throws -> [CompositionRecord] {
        try read { db in
            try CompositionRow.fetchAll(
                db, sql: "SELECT * FROM composition WHERE workflowId = ? ORDER BY startedAt, rowid",
                arguments: [workflowID]
            ).map(\.record)
        }
    }

    public func composition(id: String) throws -> CompositionRecord {
        try read { db in
            guard let row = try CompositionRow.fetchOne(db, key: id) else {
                throw StoreError(.notFound, "there is no composition \(id)")
            }
            return row.record
        }
    }

    /// The latest `limit` compositions of any workflow, or of none, newest first.
    public func recentCompositions(limit: Int) throws -> [CompositionRecord] {
        guard limit >= 0 else { throw StoreError(.invalidArgument, "limit cannot be negative") }
        return try read { db in
            try CompositionRow.fetchAll(
                db, sql: "SELECT * FROM composition ORDER BY startedAt DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map(\.record)
        }
    }
}
