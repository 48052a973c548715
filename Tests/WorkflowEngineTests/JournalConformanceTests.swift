import BatonTestSupport
import Foundation
import PostgresStore
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// The behaviour every journal must have, checked against the in-memory one, the SQLite one and, when
/// `BATON_TEST_POSTGRES_URL` names a server, the PostgreSQL one alike.
@Suite struct JournalConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }

        /// The kinds that can be tested here: PostgreSQL only with a server to test against.
        static var available: [Kind] { allCases.filter { $0 != .postgres || TestPostgres.isConfigured } }

        /// A new, empty journal; a PostgreSQL one lives in a schema of its own.
        func make() async throws -> any RunJournal {
            switch self {
            case .memory: return InMemoryJournal()
            case .sqlite:
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString).sqlite").path
                return try WorkflowStore(path: path).runJournal()
            case .postgres:
                let url = try #require(TestPostgres.freshSchemaURL())
                return try await PostgresStore.open(PostgresLocation(url: url)).runJournal()
            }
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipNote)))
    func postgresCasesRun() async throws {
        #expect(Kind.available.contains(.postgres))
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func run(_ id: String, status: RunStatus = .running, workflow: Int64 = 1, at offset: TimeInterval = 0) -> RunRecord {
        RunRecord(
            id: id, workflowID: workflow, workflowName: "w", version: 1, status: status, input: .object(JSONObject([("a", .number(1))])),
            trigger: .object(JSONObject([("event", .string("signup"))])), createdAt: start.addingTimeInterval(offset))
    }

    static func step(_ run: String, _ key: String, sequence: Int, status: StepStatus = .succeeded) -> StepRecord {
        StepRecord(
            runID: run, key: key, stepID: key, kind: "call", status: status, attempts: 2, input: .object(JSONObject([("url", .string("http://x"))])),
            output: .object(JSONObject([("id", .string("o-\(key)"))])), error: status == .failed ? RunError(step: key, code: "http.500", message: "boom") : nil,
            startedAt: start, endedAt: start.addingTimeInterval(1), sequence: sequence, compensates: key == "undo" ? "a" : nil)
    }

    @Test(arguments: Kind.available)
    func writesReadBackExactly(_ kind: Kind) async throws {
        let journal = try await kind.make()
        var run = Self.run("r1")
        try await journal.write([.run(run), .step(Self.step("r1", "b", sequence: 2)), .step(Self.step("r1", "a", sequence: 1))], durable: true)
        try await journal.write([.step(Self.step("r1", "undo", sequence: 3, status: .failed))], durable: false)
        run.status = .failed
        run.error = RunError(step: "undo", code: "http.500", message: "boom")
        run.endedAt = Self.start.addingTimeInterval(5)
        run.output = .array([.number(1)])
        try await journal.write([.run(run)], durable: false)
        // Reads see deferred writes.
        #expect(try await journal.run("r1") == run)
        let steps = try await journal.steps(of: "r1")
        #expect(steps.map(\.key) == ["a", "b", "undo"])
        #expect(steps[0] == Self.step("r1", "a", sequence: 1))
        #expect(steps[2].error?.code == "http.500")
        #expect(steps[2].compensates == "a")
        #expect(try await journal.run("nope") == nil)
    }

    @Test(arguments: Kind.available)
    func aStepHasOneOutcome(_ kind: Kind) async throws {
        let journal = try await kind.make()
        try await journal.write([.run(Self.run("r1")), .step(Self.step("r1", "a", sequence: 1))], durable: true)
        await #expect(throws: JournalError.duplicateStep(run: "r1", key: "a")) {
            try await journal.write([.step(Self.step("r1", "a", sequence: 2))], durable: true)
        }
        // The refused write leaves what was there, and the journal keeps working.
        #expect(try await journal.steps(of: "r1").map(\.sequence) == [1])
        try await journal.write([.step(Self.step("r1", "b", sequence: 2))], durable: true)
        #expect(try await journal.steps(of: "r1").count == 2)
    }

    @Test(arguments: Kind.available)
    func listsFilterAndPutNewestFirst(_ kind: Kind) async throws {
        let journal = try await kind.make()
        try await journal.write([
            .run(Self.run("old", status: .completed, workflow: 1, at: 0)),
            .run(Self.run("mid", status: .failed, workflow: 2, at: 1)),
            .run(Self.run("new", status: .waiting, workflow: 1, at: 2)),
        ], durable: true)
        #expect(try await journal.runs(RunQuery()).map(\.id) == ["new", "mid", "old"])
        #expect(try await journal.runs(RunQuery(workflowID: 1)).map(\.id) == ["new", "old"])
        #expect(try await journal.runs(RunQuery(statuses: [.failed, .completed])).map(\.id) == ["mid", "old"])
        #expect(try await journal.runs(RunQuery(limit: 1)).map(\.id) == ["new"])
    }

    @Test(arguments: Kind.available)
    func waitsAreCompletedOnceAndMakeTheirRunResumable(_ kind: Kind) async throws {
        let journal = try await kind.make()
        var run = Self.run("r1", status: .waiting)
        run.wakeAt = Self.start.addingTimeInterval(3600)
        let wait = WaitRecord(runID: "r1", key: "ok", stepID: "ok", kind: .approval, token: "t0k3n", createdAt: Self.start, deadline: run.wakeAt, message: "approve?")
        try await journal.write([.run(run), .wait(wait)], durable: true)
        #expect(try await journal.waits(of: "r1") == [wait])
        #expect(try await journal.runs(RunQuery(resumableAt: Self.start)).isEmpty)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.start.addingTimeInterval(3600))).map(\.id) == ["r1"])

        await #expect(throws: JournalError.tokenNotFound(run: "r1")) {
            try await journal.resolveWait(runID: "r1", token: "wrong", resolution: WaitResolution(approved: true, at: Self.start))
        }
        let resolution = WaitResolution(approved: false, data: .object(JSONObject([("reason", .string("no"))])), by: "ann", at: Self.start)
        let resolved = try await journal.resolveWait(runID: "r1", token: "t0k3n", resolution: resolution)
        #expect(resolved.resolution == resolution)
        #expect(try await journal.runs(RunQuery(resumableAt: Self.start)).map(\.id) == ["r1"])
        await #expect(throws: JournalError.tokenUsed(run: "r1", step: "ok")) {
            try await journal.resolveWait(runID: "r1", token: "t0k3n", resolution: resolution)
        }
    }

    @Test(arguments: Kind.available)
    func cancellationIsRequestedOnlyForUnfinishedRuns(_ kind: Kind) async throws {
        let journal = try await kind.make()
        try await journal.write([.run(Self.run("live", status: .waiting)), .run(Self.run("done", status: .completed))], durable: true)
        #expect(try await journal.requestCancel("live").cancelRequested)
        #expect(try await journal.run("live")?.cancelRequested == true)
        await #expect(throws: JournalError.runFinished("done", .completed)) { try await journal.requestCancel("done") }
        await #expect(throws: JournalError.runNotFound("nope")) { try await journal.requestCancel("nope") }
    }
}

extension JournalConformanceTests {
    @Test(arguments: Kind.available)
    func anIdempotencyKeyRecordsOneRun(_ kind: Kind) async throws {
        let journal = try await kind.make()
        var first = Self.run("r1", status: .pending)
        first.idempotencyKey = "webhook:1:msg_1"
        var second = Self.run("r2", status: .pending, at: 1)
        second.idempotencyKey = "webhook:1:msg_1"
        let other = Self.run("r3", status: .pending, at: 2)

        #expect(try await journal.enqueue(first).id == "r1")
        #expect(try await journal.enqueue(second).id == "r1")
        #expect(try await journal.enqueue(other).id == "r3")
        #expect(try await journal.run("r2") == nil)
        #expect(try await journal.run("r1")?.idempotencyKey == "webhook:1:msg_1")
        // The key stays with the run as it moves on.
        var running = first
        running.status = .completed
        try await journal.write([.run(running)], durable: true)
        #expect(try await journal.enqueue(second).status == .completed)
        #expect(try await journal.runs(RunQuery()).map(\.id).sorted() == ["r1", "r3"])
    }

    @Test(arguments: Kind.available)
    func concurrentEnqueuesWithTheSameKeysRecordOneRunPerKey(_ kind: Kind) async throws {
        let journal = try await kind.make()
        let answers = try await withThrowingTaskGroup(of: (key: String, id: String).self) { group in
            for index in 0..<60 {
                group.addTask {
                    var run = Self.run("r\(index)", status: .pending, at: Double(index))
                    run.idempotencyKey = "delivery-\(index % 12)"
                    return ("delivery-\(index % 12)", try await journal.enqueue(run).id)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = try await journal.runs(RunQuery())
        #expect(stored.count == 12)
        #expect(Set(stored.compactMap(\.idempotencyKey)).count == 12)
        // Every caller was answered with the one run its key holds.
        for (key, id) in answers { #expect(stored.first { $0.idempotencyKey == key }?.id == id) }
    }
}
