import WorkflowComposer
import WorkflowModel
import WorkflowStore

extension WorkflowService {
    /// A composition as recorded, and the version its draft was saved as when it succeeded.
    public struct SavedComposition: Sendable {
        public var record: CompositionRecord
        public var version: WorkflowVersion?
    }

    /// Records a composition and, when it succeeded, saves its draft: as a new workflow, or as the next version of
    /// `workflowID`. The version and its record are written in one transaction.
    public func save(_ composition: Composition, into workflowID: Int64? = nil) throws -> SavedComposition {
        var record = composition.record
        guard let workflow = composition.workflow else {
            try store.recordComposition(record)
            return SavedComposition(record: record, version: nil)
        }
        let source: VersionSource = record.kind == .revise ? .revised : .composed
        let version = try workflowID.map { try store.addVersion(workflowID: $0, workflow, source: source, composition: record) }
            ?? store.createWorkflow(workflow, source: source, composition: record)
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
    public func save(_ workflow: ValidatedWorkflow, into reference: String? = nil, source: VersionSource, activate: Bool = false) throws -> Saved {
        var previous: WorkflowVersion?
        let version: WorkflowVersion
        if let reference {
            let target = try store.workflow(reference)
            previous = try store.latestVersion(workflowID: target.id)
            version = try store.addVersion(workflowID: target.id, workflow, source: source)
        } else {
            version = try store.createWorkflow(workflow, source: source)
        }
        let summary = activate
            ? try store.activate(workflowID: version.workflowID, version: version.number)
            : try store.workflow(id: version.workflowID)
        return Saved(summary: summary, version: version, previous: previous)
    }

    /// Checks a parsed document against the catalog.
    public func validate(_ document: JSONValue) -> ValidationResult { validator.validate(document: document) }
}
