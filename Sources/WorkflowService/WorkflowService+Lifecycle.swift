import WorkflowModel
import WorkflowStore

extension WorkflowService {
    /// Makes a version live (the latest by default) once it validates against the catalog.
    public func activate(_ reference: String, version: Int? = nil) throws -> WorkflowSummary {
        let summary = try store.workflow(reference)
        let stored = try version.map { try store.version(workflowID: summary.id, number: $0) } ?? store.latestVersion(workflowID: summary.id)
        let result = validator.validate(json: stored.definition)
        guard result.isValid else {
            throw ServiceError(
                .invalidDocument, "version \(stored.number) of \(summary.name) does not validate against the catalog; it was not activated",
                diagnostics: result.diagnostics)
        }
        return try store.activate(workflowID: summary.id, version: stored.number)
    }

    public func pause(_ reference: String) throws -> WorkflowSummary { try store.pause(workflowID: store.workflow(reference).id) }
    public func resume(_ reference: String) throws -> WorkflowSummary { try store.resume(workflowID: store.workflow(reference).id) }
    public func archive(_ reference: String) throws -> WorkflowSummary { try store.archive(workflowID: store.workflow(reference).id) }
}
