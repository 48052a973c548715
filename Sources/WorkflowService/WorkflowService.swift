import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// Baton's use cases, written once: the command line and the HTTP server are thin adapters over them. It owns the
/// rules ("only a definition that validates against the catalog goes live", "only active workflows start runs")
/// and leaves parsing and presenting to its callers.
public final class WorkflowService: Sendable {
    /// Where workflows, their runs and everything about them are kept.
    public let repository: any WorkflowRepository
    /// What calls are checked against when a version is saved or activated.
    public let catalog: ConnectorCatalog
    /// The run journal the use cases read and write, made once: a backend may make a new one (with its own commit
    /// writer) on each call.
    let journal: any RunJournal
    /// What executes runs, for the use cases that start or steer them.
    let runner: WorkflowEngine?
    /// The live workflows by trigger, rebuilt when a workflow changes.
    let triggerIndex = TriggerIndexCache()

    public init(repository: any WorkflowRepository, catalog: ConnectorCatalog, engine: WorkflowEngine? = nil) {
        self.repository = repository
        self.catalog = catalog
        journal = repository.runJournal()
        runner = engine
    }

    /// The engine, for use cases that run workflows.
    var engine: WorkflowEngine {
        guard let runner else { preconditionFailure("this WorkflowService was made without an engine, so it cannot run workflows") }
        return runner
    }

    var validator: WorkflowValidator { WorkflowValidator(catalog: catalog) }

    /// The live workflows by what starts them.
    func triggers() async throws -> TriggerIndex { try await triggerIndex.index(of: repository) }
}

/// Why a use case refused a request, with the validator's diagnostics when a document was the reason. Store
/// failures come through as `StoreError`.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The document does not validate against the catalog.
        case invalidDocument
        /// The workflow's state does not allow it (a run of a draft, a replay of an unfinished run).
        case notAllowed
        /// No run has that id.
        case notFound
        /// Another active workflow already answers on the same webhook path.
        case conflict
    }

    public var code: Code
    public var message: String
    public var diagnostics: [Diagnostic]

    public init(_ code: Code, _ message: String, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
