import BatonTestSupport
import Foundation
import PostgresStore
import Synchronization
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// The behaviour every workflow repository must have, checked against the in-memory one, the SQLite one and, when
/// `BATON_TEST_POSTGRES_URL` names a server, the PostgreSQL one alike.
@Suite struct RepositoryConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }

        /// The kinds that can be tested here: PostgreSQL only with a server to test against.
        static var available: [Kind] { allCases.filter { $0 != .postgres || TestPostgres.isConfigured } }

        /// A new, empty repository whose clock is `clock`; a PostgreSQL one lives in a schema of its own.
        func make(_ clock: RepositoryClock) async throws -> any WorkflowRepository {
            switch self {
            case .memory: return InMemoryWorkflowRepository { clock.now }
            case .sqlite:
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("repository-\(UUID().uuidString).sqlite").path
                return try WorkflowStore(path: path) { clock.now }
            case .postgres:
                let url = try #require(TestPostgres.freshSchemaURL())
                return try await PostgresStore.open(PostgresLocation(url: url)) { clock.now }
            }
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipNote)))
    func aNewPostgresSchemaIsMigratedToTheLatestVersionOnce() async throws {
        let location = try PostgresLocation(url: try #require(TestPostgres.freshSchemaURL()))
        let store = try await PostgresStore.open(location)
        #expect(try await store.schemaVersion() == PostgresStore.latestSchemaVersion)
        #expect(try await store.migrate().isEmpty, "nothing is left to apply")
        await store.close()
    }

    /// A clock that moves only when told.
    final class RepositoryClock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { current.withLock { $0 } }
        func advance(seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    static func workflow(_ name: String, steps: Int = 1) throws -> ValidatedWorkflow {
        let list = (1...steps).map { #"{"id": "s\#($0)", "kind": "transform", "output": \#($0)}"# }.joined(separator: ", ")
        let json = #"{"format": 1, "name": "\#(name)", "description": "about \#(name)", "steps": [\#(list)]}"#
        return try #require(WorkflowValidator().validate(json: json).validated)
    }

    static func record(_ id: String, at clock: RepositoryClock) -> CompositionRecord {
        CompositionRecord(
            id: id, kind: .compose, request: "make \(id)", provider: "openai", model: "m", endpoint: "e", startedAt: clock.now,
            outcome: .validFirstTry)
    }

    /// Runs `body`, expecting a `StoreError` with `code`.
    static func refused(_ code: StoreError.Code, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code), but nothing was refused")
        } catch let error as StoreError {
            #expect(error.code == code, "\(error.message)")
        } catch {
            Issue.record("expected a StoreError \(code), got \(error)")
        }
    }

    @Test(arguments: Kind.available)
    func createdWorkflowsAreListedCountedAndFound(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        let first = try await repository.createWorkflow(try Self.workflow("Routing"), source: .composed)
        clock.advance(seconds: 1)
        let second = try await repository.createWorkflow(try Self.workflow("Report"), source: .imported)
        #expect(first.number == 1 && second.number == 1 && first.workflowID != second.workflowID)
        #expect(second.source == .imported)

        let listed = try await repository.listWorkflows()
        #expect(listed.map(\.id) == [second.workflowID, first.workflowID], "newest first")
        #expect(try await repository.listWorkflows(state: nil, limit: 1, offset: 1).map(\.id) == [first.workflowID])
        #expect(try await repository.countWorkflows() == 2)
        #expect(try await repository.countWorkflows(state: .active) == 0)

        let shown = try await repository.workflow(id: second.workflowID)
        #expect(shown == listed[0])
        #expect(shown.name == "Report" && shown.description == "about Report")
        #expect(shown.state == .draft && shown.latestVersion == 1 && shown.activeVersion == nil)
        #expect(shown.createdAt == clock.now && shown.updatedAt == clock.now)
        #expect(try await repository.workflow("Report") == shown)
        #expect(try await repository.workflow(String(first.workflowID)).name == "Routing")
        #expect(try await repository.latestVersion(workflowID: second.workflowID) == second)
        #expect(try await repository.definition(workflowID: first.workflowID, version: 1).name == "Routing")

        await Self.refused(.notFound) { _ = try await repository.workflow(id: 99) }
        await Self.refused(.notFound) { _ = try await repository.workflow("Nothing") }
        await Self.refused(.invalidArgument) { _ = try await repository.listWorkflows(state: nil, limit: -1, offset: 0) }
    }

    @Test(arguments: Kind.available)
    func aSharedNameIsAmbiguousUnlessOnlyOneIsLive(_ kind: Kind) async throws {
        let repository = try await kind.make(RepositoryClock())
        let old = try await repository.createWorkflow(try Self.workflow("Twin"), source: .imported)
        let new = try await repository.createWorkflow(try Self.workflow("Twin"), source: .imported)
        await Self.refused(.ambiguous) { _ = try await repository.workflow("Twin") }
        _ = try await repository.archive(workflowID: old.workflowID)
        #expect(try await repository.workflow("Twin").id == new.workflowID, "the one not archived is meant")
        _ = try await repository.archive(workflowID: new.workflowID)
        await Self.refused(.ambiguous) { _ = try await repository.workflow("Twin") }
    }

    @Test(arguments: Kind.available)
    func versionsAreNumberedInOrderAndNeverChange(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        let v1 = try await repository.createWorkflow(try Self.workflow("Routing"), source: .composed)
        let id = v1.workflowID
        clock.advance(seconds: 60)
        let v2 = try await repository.addVersion(workflowID: id, try Self.workflow("Routing revised", steps: 2), source: .revised)
        let v3 = try await repository.addVersion(workflowID: id, try Self.workflow("Routing edited", steps: 3), source: .edited)

        let numbers: [Int] = [v1.number, v2.number, v3.number]
        #expect(numbers == [1, 2, 3])
        #expect(try await repository.versions(workflowID: id) == [v1, v2, v3])
        #expect(try await repository.version(workflowID: id, number: 1) == v1)
        #expect(try await repository.latestVersion(workflowID: id) == v3)
        #expect(try await repository.definition(workflowID: id, version: 2).steps.count == 2)
        let summary = try await repository.workflow(id: id)
        #expect(summary.name == "Routing edited" && summary.latestVersion == 3 && summary.state == .draft)
        #expect(v3.createdAt > v2.createdAt, "the clock stood still, yet every write moved forward")

        await Self.refused(.notFound) { _ = try await repository.version(workflowID: id, number: 4) }
        await Self.refused(.notFound) { _ = try await repository.definition(workflowID: id, version: 4) }
        await Self.refused(.notFound) { _ = try await repository.versions(workflowID: 99) }
        await Self.refused(.notFound) { _ = try await repository.addVersion(workflowID: 99, try Self.workflow("x"), source: .edited) }
    }

    @Test(arguments: Kind.available)
    func theLifecycleAllowsAndRefuses(_ kind: Kind) async throws {
        let repository = try await kind.make(RepositoryClock())
        let id = try await repository.createWorkflow(try Self.workflow("Flow"), source: .imported).workflowID
        await Self.refused(.invalidTransition) { _ = try await repository.pause(workflowID: id) }
        await Self.refused(.invalidTransition) { _ = try await repository.resume(workflowID: id) }
        await Self.refused(.notFound) { _ = try await repository.activate(workflowID: id, version: 2) }

        var summary = try await repository.activate(workflowID: id)
        #expect(summary.state == .active && summary.activeVersion == 1)
        _ = try await repository.addVersion(workflowID: id, try Self.workflow("Flow", steps: 2), source: .edited)
        #expect(try await repository.workflow(id: id).activeVersion == 1, "a new version waits until activated")
        await Self.refused(.invalidTransition) { _ = try await repository.resume(workflowID: id) }
        summary = try await repository.pause(workflowID: id)
        #expect(summary.state == .paused && summary.activeVersion == 1)
        summary = try await repository.resume(workflowID: id)
        #expect(summary.state == .active)
        summary = try await repository.activate(workflowID: id, version: 2)
        #expect(summary.activeVersion == 2)

        summary = try await repository.archive(workflowID: id)
        #expect(summary.state == .archived && summary.activeVersion == 2)
        // Archived is permanent: nothing changes it again, and nothing refused changed it.
        await Self.refused(.archived) { _ = try await repository.activate(workflowID: id) }
        await Self.refused(.archived) { _ = try await repository.pause(workflowID: id) }
        await Self.refused(.archived) { _ = try await repository.resume(workflowID: id) }
        await Self.refused(.archived) { _ = try await repository.archive(workflowID: id) }
        await Self.refused(.archived) { _ = try await repository.addVersion(workflowID: id, try Self.workflow("Flow"), source: .edited) }
        #expect(try await repository.workflow(id: id) == summary)
        #expect(try await repository.versions(workflowID: id).count == 2)
    }

    @Test(arguments: Kind.available)
    func compositionsAreRecordedWithAndWithoutAVersion(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        let rejected = Self.record("c-rejected", at: clock)
        try await repository.recordComposition(rejected)
        clock.advance(seconds: 1)
        let created = try await repository.createWorkflow(
            try Self.workflow("Composed"), source: .composed, composition: Self.record("c-1", at: clock))
        #expect(created.compositionID == "c-1")
        clock.advance(seconds: 1)
        let revised = try await repository.addVersion(
            workflowID: created.workflowID, try Self.workflow("Composed", steps: 2), source: .revised,
            composition: Self.record("c-2", at: clock))

        let history = try await repository.compositions(workflowID: created.workflowID)
        #expect(history.map(\.id) == ["c-1", "c-2"], "oldest first")
        #expect(history.map(\.version) == [1, 2] && history.allSatisfy { $0.workflowID == created.workflowID })
        #expect(revised.compositionID == "c-2")
        #expect(try await repository.composition(id: "c-rejected") == rejected)
        #expect(try await repository.recentCompositions(limit: 2).map(\.id) == ["c-2", "c-1"])
        #expect(try await repository.compositions(workflowID: 99).isEmpty)
        await Self.refused(.notFound) { _ = try await repository.composition(id: "c-none") }
        await Self.refused(.invalidArgument) { _ = try await repository.recentCompositions(limit: -1) }

        // A version refused leaves its composition unrecorded: both are one transaction.
        _ = try await repository.archive(workflowID: created.workflowID)
        await Self.refused(.archived) {
            _ = try await repository.addVersion(
                workflowID: created.workflowID, try Self.workflow("Composed"), source: .revised, composition: Self.record("c-3", at: clock))
        }
        await Self.refused(.notFound) { _ = try await repository.composition(id: "c-3") }
    }

    @Test(arguments: Kind.available)
    func tokensAreAddedUsedAndRevoked(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        let token = try await repository.addToken(name: "ci", hash: "h1")
        #expect(token == APIToken(name: "ci", createdAt: clock.now))
        await Self.refused(.invalidArgument) { _ = try await repository.addToken(name: "ci", hash: "h2") }
        clock.advance(seconds: 5)
        #expect(try await repository.useToken(hash: "h1")?.lastUsedAt == clock.now)
        #expect(try await repository.useToken(hash: "unknown") == nil)
        // Noted to the minute: a use within a minute of the last one is not written again.
        let noted = clock.now
        clock.advance(seconds: 30)
        #expect(try await repository.useToken(hash: "h1")?.lastUsedAt == noted)
        clock.advance(seconds: 31)
        #expect(try await repository.useToken(hash: "h1")?.lastUsedAt == clock.now)

        let revoked = try await repository.revokeToken(name: "ci")
        #expect(revoked.revokedAt == clock.now)
        #expect(try await repository.useToken(hash: "h1") == nil)
        await Self.refused(.notFound) { try await repository.revokeToken(name: "ci") }
        // The name is free again once revoked.
        _ = try await repository.addToken(name: "ci", hash: "h3")
        let tokens = try await repository.tokens()
        #expect(tokens.map(\.name) == ["ci", "ci"])
        #expect(tokens.map { $0.revokedAt == nil } == [false, true])
    }

    @Test(arguments: Kind.available)
    func scheduleStatesAreSavedAndRead(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        #expect(try await repository.scheduleStates().isEmpty)
        let first = ScheduleState(workflowID: 1, version: 1, activatedAt: clock.now, lastFire: clock.now, nextFire: clock.now.addingTimeInterval(60))
        let second = ScheduleState(workflowID: 2, version: 3, activatedAt: clock.now, buffered: clock.now)
        try await repository.saveSchedules([first, second])
        #expect(try await repository.scheduleStates() == [1: first, 2: second])
        var moved = first
        moved.version = 2
        moved.lastFire = nil
        try await repository.saveSchedule(moved)
        #expect(try await repository.scheduleStates() == [1: moved, 2: second])
    }

    @Test(arguments: Kind.available)
    func theWorkflowsStampChangesOnEveryWrite(_ kind: Kind) async throws {
        let repository = try await kind.make(RepositoryClock())
        var stamps = [try await repository.workflowsStamp()]
        let id = try await repository.createWorkflow(try Self.workflow("Stamped"), source: .imported).workflowID
        stamps.append(try await repository.workflowsStamp())
        _ = try await repository.addVersion(workflowID: id, try Self.workflow("Stamped"), source: .edited)
        stamps.append(try await repository.workflowsStamp())
        _ = try await repository.activate(workflowID: id)
        stamps.append(try await repository.workflowsStamp())
        _ = try await repository.pause(workflowID: id)
        stamps.append(try await repository.workflowsStamp())
        #expect(try await repository.workflowsStamp() == stamps.last, "reading changes nothing")
        _ = try await repository.archive(workflowID: id)
        stamps.append(try await repository.workflowsStamp())
        #expect(Set(stamps).count == stamps.count)
    }

    @Test(arguments: Kind.available)
    func theJournalIsTheRepositorys(_ kind: Kind) async throws {
        let clock = RepositoryClock()
        let repository = try await kind.make(clock)
        let journal = repository.runJournal()
        let run = RunRecord(
            id: "r1", workflowID: 1, workflowName: "w", version: 1, status: .waiting, input: .object(JSONObject([])),
            trigger: .object(JSONObject([])), createdAt: clock.now)
        let wait = WaitRecord(runID: "r1", key: "approve", stepID: "approve", kind: .approval, token: "t0k3n", createdAt: clock.now, deadline: nil)
        try await journal.write([.run(run), .wait(wait)], durable: true, lease: nil)
        #expect(try await repository.runJournal().run("r1") == run, "every call gives the same journal")
        #expect(try await repository.runCounts() == ["waiting": 1])
        #expect(try await repository.runID(waitToken: "t0k3n") == "r1")
        #expect(try await repository.runID(waitToken: "other") == nil)
    }
}
