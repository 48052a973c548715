import WorkflowEngine
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
        if let definition = result.definition { try await ensureWebhookPathFree(definition.trigger, for: summary.id) }
        defer { triggerIndex.invalidate() }
        return try await repository.activate(workflowID: summary.id, version: stored.number)
    }

    public func pause(_ reference: String) async throws -> WorkflowSummary {
        defer { triggerIndex.invalidate() }
        return try await repository.pause(workflowID: repository.workflow(reference).id)
    }

    /// Makes a paused workflow active again, unless another active workflow took its webhook path meanwhile.
    public func resume(_ reference: String) async throws -> WorkflowSummary {
        let summary = try await repository.workflow(reference)
        if summary.state == .paused, let version = summary.activeVersion {
            try await ensureWebhookPathFree(try await repository.definition(workflowID: summary.id, version: version).trigger, for: summary.id)
        }
        defer { triggerIndex.invalidate() }
        return try await repository.resume(workflowID: summary.id)
    }

    public func archive(_ reference: String) async throws -> WorkflowSummary {
        defer { triggerIndex.invalidate() }
        return try await repository.archive(workflowID: repository.workflow(reference).id)
    }

    /// Refuses a webhook path that another active workflow answers on: a delivery must start one workflow.
    func ensureWebhookPathFree(_ trigger: Trigger, for workflowID: Int64?) async throws {
        guard trigger.kind == .webhook, let path = trigger.path else { return }
        triggerIndex.invalidate()
        if let holder = try await triggers().webhooks[path], holder.summary.id != workflowID {
            throw ServiceError(
                .conflict,
                "workflow \(holder.summary.id) (\(holder.summary.name)) already answers webhooks on \(path); pause or archive it first, or use another path")
        }
    }
}
