import Foundation
import WorkflowEngine
import WorkflowModel

/// A repository kept in memory, with the same rules as the SQLite one: for tests, and the reference the conformance
/// suite holds every backend to. Nothing survives the process.
public actor InMemoryWorkflowRepository: WorkflowRepository {
    private struct Entry {
        var summary: WorkflowSummary
        var versions: [WorkflowVersion]
        /// `summary.updatedAt` to the millisecond, as every backend keeps it.
        var updatedAt: Int64
    }

    private var entries: [Int64: Entry] = [:]
    private var nextID: Int64 = 1
    private var compositionRecords: [CompositionRecord] = []
    private var storedTokens: [(token: APIToken, hash: String)] = []
    private var schedules: [Int64: ScheduleState] = [:]
    private let journal = InMemoryJournal()
    private let now: @Sendable () -> Date

    /// `now` stamps `createdAt` and `updatedAt`, as the SQLite store's clock does.
    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    private func timestamp() -> Int64 { now().milliseconds }

    private func entry(_ id: Int64) throws -> Entry {
        guard let entry = entries[id] else { throw StoreError.noWorkflow(id) }
        return entry
    }

    private func stored(_ entry: Entry, number: Int) throws -> WorkflowVersion {
        guard number >= 1, number <= entry.versions.count else {
            throw StoreError.noVersion(number, of: entry.summary.id, latest: entry.summary.latestVersion)
        }
        return entry.versions[number - 1]
    }

    private func save(_ composition: CompositionRecord?, of version: WorkflowVersion) {
        guard var record = composition else { return }
        record.workflowID = version.workflowID
        record.version = version.number
        upsert(record)
    }

    private func upsert(_ record: CompositionRecord) {
        if let index = compositionRecords.firstIndex(where: { $0.id == record.id }) {
            compositionRecords[index] = record
        } else {
            compositionRecords.append(record)
        }
    }

    // MARK: Workflows and versions

    public func createWorkflow(
        _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) throws -> WorkflowVersion {
        let time = timestamp()
        let id = nextID
        nextID += 1
        let version = WorkflowVersion(
            workflowID: id, number: 1, definition: workflow.text, name: workflow.name, description: workflow.description,
            source: source, compositionID: composition?.id, createdAt: Date(milliseconds: time))
        let summary = WorkflowSummary(
            id: id, name: workflow.name, description: workflow.description, state: .draft, latestVersion: 1,
            activeVersion: nil, createdAt: version.createdAt, updatedAt: version.createdAt)
        entries[id] = Entry(summary: summary, versions: [version], updatedAt: time)
        save(composition, of: version)
        return version
    }

    public func addVersion(
        workflowID: Int64, _ workflow: ValidatedWorkflow, source: VersionSource, composition: CompositionRecord?
    ) throws -> WorkflowVersion {
        var entry = try entry(workflowID)
        entry.summary.state = try entry.summary.state.applying(.edit, workflowID: workflowID)
        touch(&entry)
        entry.summary.latestVersion += 1
        entry.summary.name = workflow.name
        entry.summary.description = workflow.description
        let version = WorkflowVersion(
            workflowID: workflowID, number: entry.summary.latestVersion, definition: workflow.text, name: workflow.name,
            description: workflow.description, source: source, compositionID: composition?.id,
            createdAt: entry.summary.updatedAt)
        entry.versions.append(version)
        entries[workflowID] = entry
        save(composition, of: version)
        return version
    }

    private func touch(_ entry: inout Entry) {
        entry.updatedAt = RepositoryRules.touched(entry.updatedAt, now: timestamp())
        entry.summary.updatedAt = Date(milliseconds: entry.updatedAt)
    }

    public func workflow(_ reference: String) throws -> WorkflowSummary {
        if let id = Int64(reference), let entry = entries[id] { return entry.summary }
        let named = entries.values.map(\.summary).filter { $0.name == reference }.sorted { $0.id < $1.id }
        return try RepositoryRules.named(reference, among: named)
    }

    public func workflow(id: Int64) throws -> WorkflowSummary { try entry(id).summary }

    public func listWorkflows(state: LifecycleState?, limit: Int?, offset: Int) throws -> [WorkflowSummary] {
        try RepositoryRules.checkPage(limit: limit, offset: offset)
        let listed = entries.values
            .filter { state == nil || $0.summary.state == state }
            .sorted { ($0.updatedAt, $0.summary.id) > ($1.updatedAt, $1.summary.id) }
            .dropFirst(offset)
            .map(\.summary)
        return limit.map { Array(listed.prefix($0)) } ?? listed
    }

    public func countWorkflows(state: LifecycleState?) -> Int {
        entries.values.count(where: { state == nil || $0.summary.state == state })
    }

    public func versions(workflowID: Int64) throws -> [WorkflowVersion] { try entry(workflowID).versions }

    public func version(workflowID: Int64, number: Int) throws -> WorkflowVersion {
        try stored(try entry(workflowID), number: number)
    }

    public func latestVersion(workflowID: Int64) throws -> WorkflowVersion {
        let entry = try entry(workflowID)
        return try stored(entry, number: entry.summary.latestVersion)
    }

    public func workflowsStamp() -> String {
        "\(entries.count):\(entries.values.reduce(Int64(0)) { $0 + $1.updatedAt })"
    }

    public func definition(workflowID: Int64, version: Int) throws -> WorkflowDefinition {
        try RepositoryRules.definition(
            entries[workflowID].flatMap { version >= 1 && version <= $0.versions.count ? $0.versions[version - 1].definition : nil },
            workflowID: workflowID, version: version)
    }

    // MARK: Lifecycle

    public func activate(workflowID: Int64, version: Int?) throws -> WorkflowSummary {
        try transition(workflowID, .activate) { entry in
            let number = version ?? entry.summary.latestVersion
            _ = try stored(entry, number: number)
            entry.summary.activeVersion = number
        }
    }

    public func pause(workflowID: Int64) throws -> WorkflowSummary { try transition(workflowID, .pause) }

    public func resume(workflowID: Int64) throws -> WorkflowSummary { try transition(workflowID, .resume) }

    public func archive(workflowID: Int64) throws -> WorkflowSummary { try transition(workflowID, .archive) }

    private func transition(
        _ workflowID: Int64, _ action: LifecycleAction, change: (inout Entry) throws -> Void = { _ in }
    ) throws -> WorkflowSummary {
        var entry = try entry(workflowID)
        entry.summary.state = try entry.summary.state.applying(action, workflowID: workflowID)
        try change(&entry)
        touch(&entry)
        entries[workflowID] = entry
        return entry.summary
    }

    // MARK: Compositions

    public func recordComposition(_ record: CompositionRecord) { upsert(record) }

    public func compositions(workflowID: Int64) -> [CompositionRecord] {
        ordered(compositionRecords.filter { $0.workflowID == workflowID })
    }

    public func composition(id: String) throws -> CompositionRecord {
        guard let record = compositionRecords.first(where: { $0.id == id }) else { throw StoreError.noComposition(id) }
        return record
    }

    public func recentCompositions(limit: Int) throws -> [CompositionRecord] {
        try RepositoryRules.checkLimit(limit)
        return Array(ordered(compositionRecords).reversed().prefix(limit))
    }

    /// Oldest first, in the order recorded among those that started at once.
    private func ordered(_ records: [CompositionRecord]) -> [CompositionRecord] {
        records.enumerated().sorted { ($0.element.startedAt, $0.offset) < ($1.element.startedAt, $1.offset) }.map(\.element)
    }

    // MARK: API tokens

    public func addToken(name: String, hash: String) throws -> APIToken {
        guard !storedTokens.contains(where: { $0.token.name == name && $0.token.revokedAt == nil }) else {
            throw StoreError.tokenExists(name)
        }
        let token = APIToken(name: name, createdAt: Date(milliseconds: timestamp()))
        storedTokens.append((token, hash))
        return token
    }

    public func useToken(hash: String) -> APIToken? {
        guard let index = storedTokens.firstIndex(where: { $0.hash == hash && $0.token.revokedAt == nil }) else { return nil }
        let now = timestamp()
        if RepositoryRules.notesUse(lastUsed: storedTokens[index].token.lastUsedAt.map(\.milliseconds), now: now) {
            storedTokens[index].token.lastUsedAt = Date(milliseconds: now)
        }
        return storedTokens[index].token
    }

    @discardableResult
    public func revokeToken(name: String) throws -> APIToken {
        guard let index = storedTokens.firstIndex(where: { $0.token.name == name && $0.token.revokedAt == nil }) else {
            throw StoreError.noLiveToken(name)
        }
        storedTokens[index].token.revokedAt = Date(milliseconds: timestamp())
        return storedTokens[index].token
    }

    public func tokens() -> [APIToken] { storedTokens.map(\.token) }

    // MARK: Schedules

    public func scheduleStates() -> [Int64: ScheduleState] { schedules }

    public func saveSchedules(_ states: [ScheduleState]) {
        for state in states { schedules[state.workflowID] = state }
    }

    // MARK: Runs

    public nonisolated func runJournal() -> InMemoryJournal { journal }

    public func runCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for run in try await journal.runs(RunQuery(limit: Int.max)) { counts[run.status.rawValue, default: 0] += 1 }
        return counts
    }

    public func runID(waitToken token: String) async throws -> String? {
        for run in try await journal.runs(RunQuery(limit: Int.max)) {
            if try await journal.waits(of: run.id).contains(where: { $0.token == token }) { return run.id }
        }
        return nil
    }
}
