import Foundation
import WorkflowEngine
import WorkflowModel

/// Where workflows are kept: their immutable versions, their lifecycle, the compositions that made them, API tokens,
/// schedule states, and the journal of their runs.
///
/// Every write is atomic: a refused or failed request changes nothing. Refusals and failures are `StoreError`s, with
/// the same codes from every implementation. `InMemoryWorkflowRepository` is the reference; the SQLite
/// `WorkflowStore` is the durable one; both pass the same conformance suite.
public protocol WorkflowRepository: WorkflowSource {
    associatedtype Journal: RunJournal

    // MARK: Workflows and versions

    /// Saves a new workflow, in state draft, whose version 1 is `workflow`; with `composition`, the record of the
    /// composition that made it is saved in the same transaction, pointing at the new version.
    func createWorkflow(
        _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion
    /// Adds `workflow` as the next version of a workflow, with the record of the composition that made it in the same
    /// transaction. The state and live version stay as they are. Refused for an archived workflow.
    func addVersion(
        workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) async throws -> WorkflowVersion
    /// The workflow whose id is `reference` ("12") or, failing that, whose name is exactly `reference`. When several
    /// share the name but only one of them is not archived, that one is meant; otherwise `ambiguous`.
    func workflow(_ reference: String) async throws -> WorkflowSummary
    func workflow(id: Int64) async throws -> WorkflowSummary
    /// Workflows, most recently updated first, optionally of one state only. Definitions are not read.
    func listWorkflows(state: LifecycleState?, limit: Int?, offset: Int) async throws -> [WorkflowSummary]
    func countWorkflows(state: LifecycleState?) async throws -> Int
    /// Every version of a workflow, oldest first, with definitions.
    func versions(workflowID: Int64) async throws -> [WorkflowVersion]
    func version(workflowID: Int64, number: Int) async throws -> WorkflowVersion
    func latestVersion(workflowID: Int64) async throws -> WorkflowVersion
    /// A value that changes whenever any workflow is added or written, so that what is derived from the workflows
    /// can be kept until they change.
    func workflowsStamp() async throws -> String

    // MARK: Lifecycle

    /// Makes `version` (by default the latest) the live one. From draft or paused the workflow becomes active; an
    /// active one switches its live version. Refused for an archived workflow.
    func activate(workflowID: Int64, version: Int?) async throws -> WorkflowSummary
    /// Stops an active workflow; it keeps its live version for `resume`.
    func pause(workflowID: Int64) async throws -> WorkflowSummary
    /// Makes a paused workflow active again, on the version it had.
    func resume(workflowID: Int64) async throws -> WorkflowSummary
    /// Retires a workflow for good. Its versions stay readable; `activeVersion` keeps the one that was live.
    func archive(workflowID: Int64) async throws -> WorkflowSummary

    // MARK: Compositions

    /// Saves a composition attempt, saved or not; a record with the same id is replaced.
    func recordComposition(_ record: CompositionRecord) async throws
    /// The compositions recorded for a workflow, oldest first; none for an unknown id.
    func compositions(workflowID: Int64) async throws -> [CompositionRecord]
    func composition(id: String) async throws -> CompositionRecord
    /// The latest `limit` compositions of any workflow, or of none, newest first.
    func recentCompositions(limit: Int) async throws -> [CompositionRecord]

    // MARK: API tokens

    /// Saves a token by the hash of its text. Refused while another live token has the name.
    func addToken(name: String, hash: String) async throws -> APIToken
    /// The live token with this hash, noting when it was used to the minute (see `RepositoryRules.notesUse`); `nil`
    /// for an unknown or revoked one.
    func useToken(hash: String) async throws -> APIToken?
    /// Revokes the live token of that name.
    @discardableResult
    func revokeToken(name: String) async throws -> APIToken
    /// Every token, revoked ones included, oldest first.
    func tokens() async throws -> [APIToken]

    // MARK: Schedules

    /// Every stored schedule state, by workflow id.
    func scheduleStates() async throws -> [Int64: ScheduleState]
    /// Saves schedule states in one transaction, each replacing its workflow's previous one.
    func saveSchedules(_ states: [ScheduleState]) async throws

    // MARK: Runs

    /// The journal of the runs of these workflows.
    func runJournal() -> Journal
    /// How many runs are in each status, for metrics and readiness checks.
    func runCounts() async throws -> [String: Int]
    /// The run with a callback or approval wait of this token; `nil` when none has it.
    func runID(waitToken token: String) async throws -> String?
}

extension WorkflowRepository {
    public func createWorkflow(_ workflow: ValidatedWorkflow, source: VersionSource) async throws -> WorkflowVersion {
        try await createWorkflow(workflow, source: source, composition: nil)
    }

    public func addVersion(workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource) async throws
        -> WorkflowVersion
    {
        try await addVersion(workflowID: workflowID, workflow, source: source, composition: nil)
    }

    public func listWorkflows(state: LifecycleState? = nil, limit: Int? = nil) async throws -> [WorkflowSummary] {
        try await listWorkflows(state: state, limit: limit, offset: 0)
    }

    public func countWorkflows() async throws -> Int { try await countWorkflows(state: nil) }

    public func activate(workflowID: Int64) async throws -> WorkflowSummary {
        try await activate(workflowID: workflowID, version: nil)
    }

    /// The workflow `reference` (an id or name) names, with one of its versions: the latest when `number` is nil.
    public func workflow(_ reference: String, version number: Int?) async throws -> (WorkflowSummary, WorkflowVersion) {
        let summary = try await workflow(reference)
        let stored = if let number {
            try await version(workflowID: summary.id, number: number)
        } else {
            try await latestVersion(workflowID: summary.id)
        }
        return (summary, stored)
    }

    /// Saves a schedule state, replacing the workflow's previous one.
    public func saveSchedule(_ state: ScheduleState) async throws { try await saveSchedules([state]) }
}
