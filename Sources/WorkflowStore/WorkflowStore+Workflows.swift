import Foundation
internal import GRDB
import WorkflowModel

extension WorkflowStore {
    /// Saves a new workflow, in state draft, whose version 1 is `workflow`; with `composition`, the record of the
    /// composition that made it is saved in the same transaction, pointing at the new version.
    public func createWorkflow(
        _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord? = nil
    ) throws -> WorkflowVersion {
        try write { db in
            let version = try insertWorkflow(
                db, definition: workflow.text, name: workflow.name, description: workflow.description, source: source,
                compositionID: composition?.id, at: timestamp())
            try saveRecord(composition, of: version, in: db)
            return version
        }
    }

    /// Adds `workflow` as the next version of a workflow, like `addVersion(workflowID:definition:...)`, with the record
    /// of the composition that made it in the same transaction.
    public func addVersion(
        workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord? = nil
    ) throws -> WorkflowVersion {
        try write { db in
            let version = try appendVersion(
                db, workflowID: workflowID, definition: workflow.text, name: workflow.name, description: workflow.description,
                source: source, compositionID: composition?.id)
            try saveRecord(composition, of: version, in: db)
            return version
        }
    }

    private func saveRecord(_ composition: CompositionRecord?, of version: WorkflowVersion, in db: Database) throws {
        guard var record = composition else { return }
        record.workflowID = version.workflowID
        record.version = version.number
        try CompositionRow(record).upsert(db)
    }

    /// Saves a new workflow from JSON text the caller vouches for; for tests and generated benchmark data.
    func createWorkflow(
        definition: String, name: String, description: String?, source: VersionSource, compositionID: String? = nil
    ) throws -> WorkflowVersion {
        try write { db in
            try insertWorkflow(
                db, definition: definition, name: name, description: description, source: source,
                compositionID: compositionID, at: timestamp())
        }
    }

    /// Saves many new workflows in one transaction: all of them, or none. Returns their ids, in order.
    @discardableResult
    public func createWorkflows(_ workflows: [ValidatedWorkflow], source: VersionSource) throws -> [Int64] {
        try createWorkflows(workflows.map { ($0.text, $0.name, $0.description) }, source: source)
    }

    @discardableResult
    func createWorkflows(
        _ items: [(definition: String, name: String, description: String?)], source: VersionSource
    ) throws -> [Int64] {
        try write { db in
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
    /// workflow waits, as a draft, until it is activated. Refused for an archived workflow.
    func addVersion(
        workflowID: Int64, definition: String, name: String, description: String?, source: VersionSource,
        compositionID: String? = nil
    ) throws -> WorkflowVersion {
        try write { db in
            try appendVersion(
                db, workflowID: workflowID, definition: definition, name: name, description: description, source: source,
                compositionID: compositionID)
        }
    }

    private func appendVersion(
        _ db: Database, workflowID: Int64, definition: String, name: String, description: String?, source: VersionSource,
        compositionID: String?
    ) throws -> WorkflowVersion {
        var row = try fetchRow(db, id: workflowID)
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

    /// The workflow whose id is `reference` ("12") or, failing that, whose name is exactly `reference`.
    ///
    /// When several share the name but only one of them is not archived, that one is meant; otherwise the
    /// reference is `ambiguous`.
    public func workflow(_ reference: String) throws -> WorkflowSummary {
        try read { db in
            if let id = Int64(reference), let row = try WorkflowRow.fetchOne(db, key: id) {
                return row.summary
            }
            let named = try WorkflowRow.fetchAll(
                db, sql: "SELECT * FROM workflow WHERE name = ? ORDER BY id", arguments: [reference])
            let live = named.filter { $0.state != .archived }
            if named.count == 1 { return named[0].summary }
            if live.count == 1 { return live[0].summary }
            if named.isEmpty {
                throw StoreError(.notFound, "no workflow has the id or name \"\(reference)\"")
            }
            let ids = named.compactMap(\.id).map(String.init).joined(separator: ", ")
            throw StoreError(
                .ambiguous, "\(named.count) workflows are named \"\(reference)\" (ids \(ids)); name one by its id")
        }
    }

    public func workflow(id: Int64) throws -> WorkflowSummary {
        try read { db in try fetchRow(db, id: id).summary }
    }

    /// Workflows, most recently updated first, optionally of one state only. Definitions are not read.
    public func listWorkflows(state: LifecycleState? = nil, limit: Int? = nil, offset: Int = 0) throws
        -> [WorkflowSummary]
    {
        guard offset >= 0, (limit ?? 0) >= 0 else {
            throw StoreError(.invalidArgument, "limit and offset cannot be negative")
        }
        return try read { db in
            let filter = state == nil ? "" : "WHERE state = :state"
            return try WorkflowRow.fetchAll(
                db,
                sql: "SELECT * FROM workflow \(filter) ORDER BY updatedAt DESC, id DESC LIMIT :limit OFFSET :offset",
                arguments: ["state": state?.rawValue, "limit": limit ?? -1, "offset": offset]
            ).map(\.summary)
        }
    }

    public func countWorkflows(state: LifecycleState? = nil) throws -> Int {
        try read { db in
            if let state {
                return try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM workflow WHERE state = ?", arguments: [state.rawValue]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workflow") ?? 0
        }
    }

    /// Every version of a workflow, oldest first, with definitions.
    public func versions(workflowID: Int64) throws -> [WorkflowVersion] {
        try read { db in
            _ = try fetchRow(db, id: workflowID)
            return try VersionRow.fetchAll(
                db, sql: "SELECT * FROM workflowVersion WHERE workflowId = ? ORDER BY number", arguments: [workflowID]
            ).map(\.version)
        }
    }

    public func version(workflowID: Int64, number: Int) throws -> WorkflowVersion {
        try read { db in
            let row = try fetchRow(db, id: workflowID)
            return try fetchVersion(db, workflow: row, number: number)
        }
    }

    public func latestVersion(workflowID: Int64) throws -> WorkflowVersion {
        try read { db in
            let row = try fetchRow(db, id: workflowID)
            return try fetchVersion(db, workflow: row, number: row.latestVersion)
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

    func fetchRow(_ db: Database, id: Int64) throws -> WorkflowRow {
        guard let row = try WorkflowRow.fetchOne(db, key: id) else {
            throw StoreError(.notFound, "there is no workflow \(id)")
        }
        return row
    }

    func fetchVersion(_ db: Database, workflow: WorkflowRow, number: Int) throws -> WorkflowVersion {
        let id = workflow.id ?? 0
        guard let row = try VersionRow.fetchOne(
            db, sql: "SELECT * FROM workflowVersion WHERE workflowId = ? AND number = ?", arguments: [id, number])
        else {
            let range = workflow.latestVersion == 1
                ? "its only version is 1" : "its versions are 1 to \(workflow.latestVersion)"
            throw StoreError(.notFound, "workflow \(id) has no version \(number); \(range)")
        }
        return row.version
    }

    /// Stamps a write: `updatedAt` moves to now, and always forward, so every write changes it.
    func touch(_ row: inout WorkflowRow) {
        row.updatedAt = max(timestamp(), row.updatedAt + 1)
    }
}
