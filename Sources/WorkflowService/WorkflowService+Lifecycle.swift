import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// Makes a version live (the latest by default) once it validates against the catalog.
    public func activate(_ reference: String, version: Int? = nil) async throws -> WorkflowSummary {
        let (summary, stored) = try await repository.workflow(reference, version: version)
        let result = validator.validate(json: stored.definition)
        guard result.isValid else {
            throw ServiceError(
                .invalidDocument, "version \(stored.number) of \(summary.name) does not validate against the catalog; it was not activated",
                diagnostics: result.diagnostics)
        }
        return try await repository.activate(workflowID: summary.id, version: stored.number)
    }

    public func pause(_ reference: String) async throws -> WorkflowSummary {
        try await repository.pause(workflowID: repository.workflow(reference).id)
    }

    public func resume(_ reference: String) async throws -> WorkflowSummary {
        try await repository.resume(workflowID: repository.workflow(reference).id)
    }

    public func archive(_ reference: String) async throws -> WorkflowSummary {
        try await repository.archive(workflowID: repository.workflow(reference).id)
    }
}
