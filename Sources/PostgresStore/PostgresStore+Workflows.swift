import Foundation
import PostgresNIO
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

extension PostgresStore: WorkflowRepository {
    public func createWorkflow(
        _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion {
        let (text, name, description) = (workflow.text, workflow.name, workflow.description)
        return try await transaction { connection in
            let time = self.timestamp()
            let rows = try await Postgres.rows(
                """
                INSERT INTO workflow (name, description, state, latest_version, active_version, created_at, updated_at)
                VALUES (\(name), \(description), \(LifecycleState.draft.rawValue), 1, NULL, \(time), \(time)) RETURNING id
                """, on: connection, logger: self.logger)
            let id = try rows[0].value("id", as: Int64.self)
            let version = WorkflowVersion(
                workflowID: id, number: 1, definition: text, name: name, description: description, source: source,
                compositionID: composition?.id, createdAt: Date(milliseconds: time))
            try await self.insert(version, on: connection)
            try await self.save(composition, of: version, on: connection)
            return version
        }
    }

    public func addVersion(
        workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion {
        let (text, name, description) = (workflow.text, workflow.name, workflow.description)
        return try await transaction { connection in
            var summary = try await self.lockedSummary(workflowID, on: connection)
            summary.state = try summary.state.applying(.edit, workflowID: workflowID)
            summary.updatedAt = self.touched(summary.updatedAt)
            summary.latestVersion += 1
            summary.name = name
            summary.description = description
            let version = WorkflowVersion(
                workflowID: workflowID, number: summary.latestVersion, definition: text, name: name, description: description,
                source: source, compositionID: composition?.id, createdAt: summary.updatedAt)
            try await self.insert(version, on: connection)
            try await self.update(summary, on: connection)
            try await self.save(composition, of: version, on: connection)
            return version
        }
    }

    public func workflow(_ reference: String) async throws -> WorkflowSummary {
        try await withConnection { connection in
            if let id = Int64(reference), let found = try await self.summary(id, on: connection) { return found }
            let rows = try await Postgres.rows(
                "SELECT \(unescaped: Self.workflowColumns) FROM workflow WHERE name = \(reference) ORDER BY id", on: connection, logger: self.logger)
            return try RepositoryRules.named(reference, among: rows.map(Self.summary))
        }
    }

    public func workflow(id: Int64) async throws -> WorkflowSummary {
        try await withConnection { connection in
            guard let found = try await self.summary(id, on: connection) else { throw StoreError.noWorkflow(id) }
            return found
        }
    }

    public func listWorkflows(state: LifecycleState?, limit: Int?, offset: Int) async throws -> [WorkflowSummary] {
        try RepositoryRules.checkPage(limit: limit, offset: offset)
        return try await withConnection { connection in
            try await Postgres.rows(
                """
                SELECT \(unescaped: Self.workflowColumns) FROM workflow WHERE (\(state?.rawValue)::TEXT IS NULL OR state = \(state?.rawValue))
                ORDER BY updated_at DESC, id DESC LIMIT \(limit.map(Int64.init)) OFFSET \(Int64(offset))
                """, on: connection, logger: self.logger
            ).map(Self.summary)
        }
    }

    public func countWorkflows(state: LifecycleState?) async throws -> Int {
        try await withConnection { connection in
            let rows = try await Postgres.rows(
                "SELECT count(*) AS n FROM workflow WHERE (\(state?.rawValue)::TEXT IS NULL OR state = \(state?.rawValue))",
                on: connection, logger: self.logger)
            return Int(try rows[0].value("n", as: Int64.self))
        }
    }

    public func versions(workflowID: Int64) async throws -> [WorkflowVersion] {
        try await withConnection { connection in
            guard try await self.summary(workflowID, on: connection) != nil else { throw StoreError.noWorkflow(workflowID) }
            return try await Postgres.rows(
                "SELECT * FROM workflow_version WHERE workflow_id = \(workflowID) ORDER BY number", on: connection, logger: self.logger
            ).map(Self.version)
        }
    }

    public func version(workflowID: Int64, number: Int) async throws -> WorkflowVersion {
        try await withConnection { connection in
            guard let summary = try await self.summary(workflowID, on: connection) else { throw StoreError.noWorkflow(workflowID) }
            return try await self.version(of: summary, number: number, on: connection)
        }
    }

    public func latestVersion(workflowID: Int64) async throws -> WorkflowVersion {
        try await withConnection { connection in
            guard let summary = try await self.summary(workflowID, on: connection) else { throw StoreError.noWorkflow(workflowID) }
            return try await self.version(of: summary, number: summary.latestVersion, on: connection)
        }
    }

    /// Every write moves a workflow's `updated_at` forward, so their count and sum change with every write, in this
    /// process or another.
    public func workflowsStamp() async throws -> String {
        try await withConnection { connection in
            let rows = try await Postgres.rows(
                "SELECT count(*) AS n, coalesce(sum(updated_at), 0)::BIGINT AS total FROM workflow", on: connection, logger: self.logger)
            return "\(try rows[0].value("n", as: Int64.self)):\(try rows[0].value("total", as: Int64.self))"
        }
    }

    // MARK: Lifecycle

    public func activate(workflowID: Int64, version: Int?) async throws -> WorkflowSummary {
        try await transition(workflowID, .activate) { connection, summary in
            let number = version ?? summary.latestVersion
            _ = try await self.version(of: summary, number: number, on: connection)
            summary.activeVersion = number
        }
    }

    public func pause(workflowID: Int64) async throws -> WorkflowSummary { try await transition(workflowID, .pause) }

    public func resume(workflowID: Int64) async throws -> WorkflowSummary { try await transition(workflowID, .resume) }

    public func archive(workflowID: Int64) async throws -> WorkflowSummary { try await transition(workflowID, .archive) }

    /// Applies `action` to a workflow in one transaction: the state machine decides, `change` adjusts the rest.
    private func transition(
        _ workflowID: Int64, _ action: LifecycleAction,
        change: @escaping @Sendable (PostgresConnection, inout WorkflowSummary) async throws -> Void = { _, _ in }
    ) async throws -> WorkflowSummary {
        try await transaction { connection in
            var summary = try await self.lockedSummary(workflowID, on: connection)
            summary.state = try summary.state.applying(action, workflowID: workflowID)
            try await change(connection, &summary)
            summary.updatedAt = self.touched(summary.updatedAt)
            try await self.update(summary, on: connection)
            return summary
        }
    }

    /// Reads a version without holding a thread: runs resume many at once.
    public func definition(workflowID: Int64, version: Int) async throws -> WorkflowDefinition {
        let text = try await withConnection { connection in
            try await Postgres.rows(
                "SELECT definition FROM workflow_version WHERE workflow_id = \(workflowID) AND number = \(Int64(version))",
                on: connection, logger: self.logger
            ).first?.value("definition", as: String.self)
        }
        return try RepositoryRules.definition(text, workflowID: workflowID, version: version)
    }
}

extension PostgresStore {
    static let workflowColumns = "id, name, description, state, latest_version, active_version, created_at, updated_at"

    static func summary(_ row: PostgresRandomAccessRow) throws -> WorkflowSummary {
        let id = try row.value("id", as: Int64.self)
        let stateText = try row.value("state", as: String.self)
        guard let state = LifecycleState(rawValue: stateText) else {
            throw StoreError(.corrupt, "workflow \(id) has the unknown state \"\(stateText)\"")
        }
        return WorkflowSummary(
            id: id, name: try row.value("name"), description: try row.value("description"), state: state,
            latestVersion: Int(try row.value("latest_version", as: Int64.self)),
            activeVersion: try row.value("active_version", as: Int64?.self).map(Int.init), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    static func version(_ row: PostgresRandomAccessRow) throws -> WorkflowVersion {
        let workflowID = try row.value("workflow_id", as: Int64.self)
        let sourceText = try row.value("source", as: String.self)
        guard let source = VersionSource(rawValue: sourceText) else {
            throw StoreError(.corrupt, "a version of workflow \(workflowID) has the unknown source \"\(sourceText)\"")
        }
        return WorkflowVersion(
            workflowID: workflowID, number: Int(try row.value("number", as: Int64.self)), definition: try row.value("definition"),
            name: try row.value("name"), description: try row.value("description"), source: source,
            compositionID: try row.value("composition_id"), createdAt: try row.date("created_at"))
    }

    func summary(_ id: Int64, on connection: PostgresConnection) async throws -> WorkflowSummary? {
        try await Postgres.rows("SELECT \(unescaped: Self.workflowColumns) FROM workflow WHERE id = \(id)", on: connection, logger: logger)
            .first.map(Self.summary)
    }

    /// A workflow's row, locked until the transaction ends.
    private func lockedSummary(_ id: Int64, on connection: PostgresConnection) async throws -> WorkflowSummary {
        let rows = try await Postgres.rows(
            "SELECT \(unescaped: Self.workflowColumns) FROM workflow WHERE id = \(id) FOR UPDATE", on: connection, logger: logger)
        guard let row = rows.first else { throw StoreError.noWorkflow(id) }
        return try Self.summary(row)
    }

    private func version(of summary: WorkflowSummary, number: Int, on connection: PostgresConnection) async throws -> WorkflowVersion {
        let rows = try await Postgres.rows(
            "SELECT * FROM workflow_version WHERE workflow_id = \(summary.id) AND number = \(Int64(number))", on: connection, logger: logger)
        guard let row = rows.first else { throw StoreError.noVersion(number, of: summary.id, latest: summary.latestVersion) }
        return try Self.version(row)
    }

    private func insert(_ version: WorkflowVersion, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO workflow_version (workflow_id, number, definition, name, description, source, composition_id, created_at)
            VALUES (\(version.workflowID), \(Int64(version.number)), \(version.definition), \(version.name), \(version.description),
                \(version.source.rawValue), \(version.compositionID), \(version.createdAt.milliseconds))
            """, logger: logger)
    }

    private func update(_ summary: WorkflowSummary, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE workflow SET name = \(summary.name), description = \(summary.description), state = \(summary.state.rawValue),
                latest_version = \(Int64(summary.latestVersion)), active_version = \(summary.activeVersion.map(Int64.init)),
                updated_at = \(summary.updatedAt.milliseconds)
            WHERE id = \(summary.id)
            """, logger: logger)
    }

    /// The time a write stamps on a workflow: now, and always forward.
    private func touched(_ updatedAt: Date) -> Date {
        Date(milliseconds: RepositoryRules.touched(updatedAt.milliseconds, now: timestamp()))
    }

    private func save(_ composition: CompositionRecord?, of version: WorkflowVersion, on connection: PostgresConnection) async throws {
        guard var record = composition else { return }
        record.workflowID = version.workflowID
        record.version = version.number
        try await upsert(record, on: connection)
    }
}
