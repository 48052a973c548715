internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    public func activate(workflowID: Int64, version: Int?) async throws -> WorkflowSummary {
        try await transition(workflowID, .activate) { db, row in
            let number = version ?? row.latestVersion
            _ = try Self.fetchVersion(db, workflow: row, number: number)
            row.activeVersion = number
        }
    }

    public func pause(workflowID: Int64) async throws -> WorkflowSummary {
        try await transition(workflowID, .pause)
    }

    public func resume(workflowID: Int64) async throws -> WorkflowSummary {
        try await transition(workflowID, .resume)
    }

    public func archive(workflowID: Int64) async throws -> WorkflowSummary {
        try await transition(workflowID, .archive)
    }

    /// Applies `action` to a workflow in one transaction: the state machine decides, `change` adjusts the rest.
    private func transition(
        _ workflowID: Int64, _ action: LifecycleAction,
        change: @escaping @Sendable (Database, inout WorkflowRow) throws -> Void = { _, _ in }
    ) async throws -> WorkflowSummary {
        try await write { db in
            var row = try Self.fetchRow(db, id: workflowID)
            row.state = try row.state.applying(action, workflowID: workflowID)
            try change(db, &row)
            self.touch(&row)
            try row.update(db)
            return row.summary
        }
    }
}
