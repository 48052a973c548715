import WorkflowModel

/// Where the engine finds the definition a run is pinned to.
public protocol WorkflowSource: Sendable {
    func definition(workflowID: Int64, version: Int) async throws -> WorkflowDefinition
}

/// Definitions held in memory, for tests, dry runs and benchmarks.
public struct FixedWorkflows: WorkflowSource {
    private let definitions: [Int64: WorkflowDefinition]

    public init(_ definitions: [Int64: WorkflowDefinition]) { self.definitions = definitions }

    public func definition(workflowID: Int64, version: Int) async throws -> WorkflowDefinition {
        guard let definition = definitions[workflowID] else { throw JournalError.runNotFound("workflow \(workflowID)") }
        return definition
    }
}
