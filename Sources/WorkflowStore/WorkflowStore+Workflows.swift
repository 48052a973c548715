import Foundation
internal import GRDB
import WorkflowModel
import WorkflowRepository

extension WorkflowStore: WorkflowRepository {
    public func createWorkflow(
        _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion {
        try await write { db in
            let version = try self.insertWorkflow(
                db, definition: workflow.text, name: workflow.name, description: workflow.description, source: source,
                compositionID: composition?.id, at: self.timestamp())
            try Self.saveRecord(composition, of: version, in: db)
            return version
        }
    }

    public func addVersion(
        workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion {
        try await write { db in
            let version = try self.appendVersion(
                db, workflowID: workflowID, definition: workflow.text, name: workflow.name, description: workflow.description,
                source: source, compositionID: composition?.id)
            try Self.saveRecord(composition, of: version, in: db)
            return version
        }
    }

    private static func saveRecord(_ composition: CompositionRecord?, of version: WorkflowVersion, in db: Database) throws {
        guard var record = composition else { return }
        record.workflowID = version.workflowID
        record.version = version.number
        try CompositionRow(record).upsert(db)
    }

    /// Saves a new workflow from JSON text the caller vouches for; for tests and generated benchmark data, so on the
    /// caller's thread.
    func createWorkflow(
        definition: String, name: String, description: String?, source: VersionSource, compositionID: String? = nil
    ) throws -> WorkflowVersion {
        try writeNow { db in
            try insertWorkflow(
                db, definition: definition, name: name, description: description, source: source,
                compositionID: compositionID, at: timestamp())
        }
    }

    /// Saves many new workflows in one transaction: all of them, or none. Returns their ids, in order. For generating
    /// benchmark data, so on the caller's thread.
    @discardableResult
    public func createWorkflows(_ workflows: [ValidatedWorkflow], source: VersionSource) throws -> [Int64] {
        try createWorkflows(workflows.map { ($0.text, $0.name, $0.description) }, source: source)
    }

    @discardableResult
    func createWorkflows(
        _ items: [(definition: String, name: String, description: String?)], source: VersionSource
    ) throws -> [Int64] {
        try writeNow { db in
            let time = timestamp()
            return try items.map { item in
                try insertWorkflow(
                    db, definition: item.definition, name: item.name, description: item.description, source: source,
                    compositionID: nil, at: time
                ).workflowID
            }
        }
    }

    /// Adds the next version of a workflow. Its state and live version stay as they are: a new version of an active
    /// workflow waits, as a draft, until it is activated. Refused for an archived workflow. For tests, so on the
    /// caller's thread.
    func addVersion(
        workflowID: Int64, definition: String, name: String, description: String?, source: VersionSource,
        compositionID: String? = nil
    ) throws -> WorkflowVersion {
        try writeNow { db in
            try appendVersion(
                db, workflowID: workflowID, definition: definition, name: name, description: description, source: source,
                compositionID: compositionID)
        }
    }

    private func appendVersion(
        _ db: Database, workflowID: Int64, definition: String, name: String, description: String?, source: VersionSource,
        compositionID: String?
    ) throws -> WorkflowVersion {
        var row = try Self.fetchRow(db, id: workflowID)
        row.state = try row.state.applying(.edit, workflowID: workflowID)
        touch(&row)
        row.latestVersion += 1
        row.name = name
        row.description = description
        let version = WorkflowVersion(
            workflowID: workflowID, number: row.latestVersion, definition: definition, name: name,
            description: description, source: source, compositionID: compositionID,
            createdAt: Date(milliseconds: row.updatedAt))
        try VersionRow(version).insert(db)
        try row.update(db)
        return version
    }

    public func workflow(_ reference: String) async throws -> WorkflowSummary {
        try await read { db in
            if let id = Int64(reference), let row = try WorkflowRow.fetchOne(db, key: id) {
                return row.summary
            }
            let named = try WorkflowRow.fetchAll(
                db, sql: "SELECT * FROM workflow WHERE name = ? ORDER BY id", arguments: [reference])
            return try RepositoryRules.named(reference, among: named.map(\.summary))
        }
    }

    public func workflow(id: Int64) async throws -> WorkflowSummary {
        try await read { db in try Self.fetchRow(db, id: id).summary }
    }

    public func listWorkflows(state: LifecycleState?, limit: Int?, offset: Int) async throws -> [WorkflowSummary] {
        try RepositoryRules.checkPage(limit: limit, offset: offset)
        return try await read { db in
            let filter = state == nil ? "" : "WHERE state = :state"
            return try WorkflowRow.fetchAll(
                db,
                sql: "SELECT * FROM workflow \(filter) ORDER BY updatedAt DESC, id DESC LIMIT :limit OFFSET :offset",
                arguments: ["state": state?.rawValue, "limit": limit ?? -1, "offset": offset]
            ).map(\.summary)
        }
    }

    public func countWorkflows(state: LifecycleState?) async throws -> Int {
        try await read { db in
            if let state {
                return try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM workflow WHERE state = ?", arguments: [state.rawValue]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workflow") ?? 0
        }
    }

    public func versions(workflowID: Int64) async throws -> [WorkflowVersion] {
        try await read { db in
            _ = try Self.fetchRow(db, id: workflowID)
            return try VersionRow.fetchAll(
                db, sql: "SELECT * FROM workflowVersion WHERE workflowId = ? ORDER BY number", arguments: [workflowID]
            ).map(\.version)
        }
    }

    public func version(workflowID: Int64, number: Int) async throws -> WorkflowVersion {
        try await read { db in
            let row = try Self.fetchRow(db, id: workflowID)
            return try Self.fetchVersion(db, workflow: row, number: number)
        }
    }

    public func latestVersion(workflowID: Int64) async throws -> WorkflowVersion {
        try await read { db in
            let row = try Self.fetchRow(db, id: workflowID)
            return try Self.fetchVersion(db, workflow: row, number: row.latestVersion)
        }
    }
}

extension WorkflowStore {
    func insertWorkflow(
        _ db: Database, definition: String, name: String, description: String?, source: VersionSource,
        compositionID: String?, at time: Int64
    ) throws -> WorkflowVersion {
        var row = WorkflowRow(
            name: name, description: description, state: .draft, latestVersion: 1, activeVersion: nil,
            createdAt: time, updatedAt: time)
        try row.insert(db)
        let version = WorkflowVersion(
            workflowID: row.id ?? 0, number: 1, definition: definition, name: name, description: description,
            source: source, compositionID: compositionID, createdAt: Date(milliseconds: time))
        try VersionRow(version).insert(db)
        return version
    }

    static func fetchRow(_ db: Database, id: Int64) throws -> WorkflowRow {
        guard let row = try WorkflowRow.fetchOne(db, key: id) else { throw StoreError.noWorkflow(id) }
        return row
    }

    static func fetchVersion(_ db: Database, workflow: WorkflowRow, number: Int) throws -> WorkflowVersion {
        let id = workflow.id ?? 0
        guard let row = try VersionRow.fetchOne(
            db, sql: "SELECT * FROM workflowVersion WHERE workflowId = ? AND number = ?", arguments: [id, number])
        else {
            throw StoreError.noVersion(number, of: id, latest: workflow.latestVersion)
        }
        return row.version
    }

    /// Stamps a write: `updatedAt` moves to now, and always forward, so every write changes it.
    func touch(_ row: inout WorkflowRow) {
        row.updatedAt = RepositoryRules.touched(row.updatedAt, now: timestamp())
    }
}
