import WorkflowComposer
import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// A composition as recorded, and the version its draft was saved as when it succeeded.
    public struct SavedComposition: Sendable {
        public var record: CompositionRecord
        public var version: WorkflowVersion?
    }

    /// Records a composition and, when it succeeded, saves its draft: as a new workflow, or as the next version of
    /// `workflowID`. The version and its record are written in one transaction.
    public func save(_ composition: Composition, into workflowID: Int64? = nil) async throws -> SavedComposition {
        var record = composition.record
        guard let workflow = composition.workflow else {
            try await repository.recordComposition(record)
            return SavedComposition(record: record, version: nil)
        }
        let source: VersionSource = record.kind == .revise ? .revised : .composed
        let version = if let workflowID {
            try await repository.addVersion(workflowID: workflowID, workflow, source: source, composition: record)
        } else {
            try await repository.createWorkflow(workflow, source: source, composition: record)
        }
        record.workflowID = version.workflowID
        record.version = version.number
        return SavedComposition(record: record, version: version)
    }

    /// A saved document, with the version it follows when it was saved into an existing workflow.
    public struct Saved: Sendable {
        public var summary: WorkflowSummary
        public var version: WorkflowVersion
        public var previous: WorkflowVersion?
    }

    /// Saves a checked document as a new workflow, or with `into` (an id or name) as the next version of that one,
    /// and makes it live with `activate`. A new workflow that shares its name with another is allowed: lookups by
    /// that name then say which ids share it.
    public func save(_ workflow: ValidatedWorkflow, into reference: String? = nil, source: VersionSource, activate: Bool = false) async throws -> Saved {
        var previous: WorkflowVersion?
        let version: WorkflowVersion
        var target: WorkflowSummary?
        if let reference { target = try await repository.workflow(reference) }
        if activate { try await ensureWebhookPathFree(workflow.definition.trigger, for: target?.id) }
        if let target {
            previous = try await repository.latestVersion(workflowID: target.id)
            version = try await repository.addVersion(workflowID: target.id, workflow, source: source)
        } else {
            version = try await repository.createWorkflow(workflow, source: source)
        }
        if activate { triggerIndex.invalidate() }
        let summary = activate
            ? try await repository.activate(workflowID: version.workflowID, version: version.number)
            : try await repository.workflow(id: version.workflowID)
        return Saved(summary: summary, version: version, previous: previous)
    }

    /// Checks a parsed document against the catalog.
    public func validate(_ document: JSONValue) -> ValidationResult { validator.validate(document: document) }
}

extension WorkflowService {
    /// A stored version and its document; the latest when `number` is nil.
    public func version(_ reference: String, number: Int? = nil) async throws
        -> (summary: WorkflowSummary, version: WorkflowVersion, document: JSONValue)
    {
        let (summary, stored) = try await repository.workflow(reference, version: number)
        return (summary, stored, try Self.document(stored))
    }

    /// The step-level diff of two versions; by default the previous version against the latest.
    public func diff(_ reference: String, from: Int? = nil, to: Int? = nil) async throws -> (diff: WorkflowDiff, from: Int, to: Int) {
        let summary = try await repository.workflow(reference)
        let newer = to ?? summary.latestVersion
        let older = from ?? max(newer - 1, 1)
        let old = try Self.document(try await repository.version(workflowID: summary.id, number: older))
        let new = try Self.document(try await repository.version(workflowID: summary.id, number: newer))
        return (WorkflowDiff(old: old, new: new), older, newer)
    }

    /// A stored definition read back; it was valid JSON when saved.
    static func document(_ version: WorkflowVersion) throws -> JSONValue {
        do {
            return try JSONParser.parse(version.definition)
        } catch {
            throw ServiceError(.notAllowed, "version \(version.number) of workflow \(version.workflowID) is not readable JSON: \(error)")
        }
    }
}
