internal import GRDB
import WorkflowModel
import WorkflowRepository

extension WorkflowStore {
    public func recordComposition(_ record: CompositionRecord) async throws {
        try await write { db in try CompositionRow(record).upsert(db) }
    }

    public func compositions(workflowID: Int64) async throws -> [CompositionRecord] {
        try await read { db in
            try CompositionRow.fetchAll(
                db, sql: "SELECT * FROM composition WHERE workflowId = ? ORDER BY startedAt, rowid",
                arguments: [workflowID]
            ).map(\.record)
        }
    }

    public func composition(id: String) async throws -> CompositionRecord {
        try await read { db in
            guard let row = try CompositionRow.fetchOne(db, key: id) else { throw StoreError.noComposition(id) }
            return row.record
        }
    }

    public func recentCompositions(limit: Int) async throws -> [CompositionRecord] {
        try RepositoryRules.checkLimit(limit)
        return try await read { db in
            try CompositionRow.fetchAll(
                db, sql: "SELECT * FROM composition ORDER BY startedAt DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map(\.record)
        }
    }
}
