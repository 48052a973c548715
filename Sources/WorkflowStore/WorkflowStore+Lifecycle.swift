internal import GRDB

extension WorkflowStore {
    /// Makes `version` (by default the latest) the live one. From draft or paused the workflow becomes active; an
    /// active one switches its live version. Refused for an archived workflow.
    public func activate(workflowID: Int64, version: Int? = nil) throws -> WorkflowSummary {
        try transition(workflowID, .activate) { db, row in
            let number = version ?? row.latestVersion
            _ = try fetchVersion(db, workflow: row, number: number)
            row.activeVersion = number
        }
    }

    /// Stops an active workflow; it keeps its live version for `resume`.
    public func pause(workflowID: Int64) throws -> WorkflowSummary {
        try transition(workflowID, .pause)
    }

    /// Makes a paused workflow active again, on the version it had.
    public func resume(workflowID: Int64) throws -> WorkflowSummary {
        try transition(workflowID, .resume)
    }

    /// Retires a workflow for good. Its versions stay readable; `activeVersion` keeps the one that was live.
    public func archive(workflowID: Int64) throws -> WorkflowSummary {
        try transition(workflowID, .archive)
    }

    /// Applies `action` to a workflow in one transaction: the state machine decides, `change` adjusts the rest.
    private func transition(
        _ workflowID: Int64, _ action: LifecycleAction,
        change: (Database, inout WorkflowRow) throws -> Void = { _, _ in }
    ) throws -> WorkflowSummary {
        try write { db in
            var row = try fetchRow(db, id: workflowID)
            row.state = try row.state.applying(action, workflowID: workflowID)
            try change(db, &row)
            touch(&row)
            try row.update(db)
            return row.summary
        }
    }
}
