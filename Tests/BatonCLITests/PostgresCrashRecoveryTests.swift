import BatonTestSupport
import Foundation
import ModelReplay
import PostgresStore
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// Three `baton worker` processes sharing one PostgreSQL database, killed with SIGKILL at random moments and started
/// again, then left to finish: the same invariants as on SQLite must hold. And a worker paused past its lease
/// (SIGSTOP) and resumed (SIGCONT) after another took its runs over writes nothing more.
@Suite(.serialized, .enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipNote)))
struct PostgresCrashRecoveryTests {
    /// A connector server, the workers' environment on a schema of their own, and that schema's store.
    static func setUp(_ sandbox: ComposeCommandTests.Sandbox, latency: Duration) async throws
        -> (server: ConnectorServer, environment: [String: String], store: PostgresStore)
    {
        let server = ConnectorServer(catalog: Fixtures.catalog)
        var environment = try await RunCommandTests.environment(sandbox, server: server)
        let url = try #require(TestPostgres.freshSchemaURL(pool: 6))
        environment["BATON_DB"] = url
        await server.setLatency(latency)
        await server.always("crm.updateCustomer", .init(status: 409, body: #"{"message":"conflict"}"#))
        return (server, environment, try await PostgresStore.open(PostgresLocation(url: url)))
    }

    static func unfinished(_ journal: any RunJournal) async throws -> Bool {
        try await !journal.runs(RunQuery(statuses: [.pending, .running, .waiting, .compensating], limit: 1)).isEmpty
    }

    @Test(.timeLimit(.minutes(3)))
    func threeWorkersKilledAtRandomLoseAndRepeatNoRecordedWork() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let (server, environment, store) = try await Self.setUp(sandbox, latency: .milliseconds(40))
        let journal = store.runJournal()
        let workload = try await CrashWorkload(repository: store, journal: journal)
        var generator = SystemRandomNumberGenerator()

        // One worker with nothing to do fills the catalog cache, so the killed ones spend their lives on runs.
        await (try WorkerProcess(environment: environment, arguments: ["--until-idle"])).wait()

        // Kill phase: three workers take runs as they come; one of them, at random, dies at a random moment while
        // calls are being made, and is started again.
        try await workload.enqueue(9)
        var workers = try (0..<3).map { _ in try WorkerProcess(environment: environment) }
        var kills: [Date] = []
        let started = Date()
        while kills.count < 21, Date().timeIntervalSince(started) < 60 {
            try await workload.enqueue(3)
            let received = await server.calls().count
            for _ in 0..<100 where await server.calls().count == received { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...400, using: &generator)))
            let victim = Int.random(in: 0..<workers.count, using: &generator)
            kills.append(Date())
            await workers[victim].kill()
            workers[victim] = try WorkerProcess(environment: environment)
        }
        #expect(kills.count >= 20)

        // Recovery phase: the three go on until every run has ended.
        let deadline = Date().addingTimeInterval(60)
        while try await Self.unfinished(journal), Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        for worker in workers { await worker.kill() }
        let calls = await server.calls()
        await server.stop()

        try await CrashRecoveryTests.checkInvariants(
            journal: journal, calls: calls, kills: kills, enqueued: workload.enqueued, interrupted: 5, recordedCalls: 60)
        try await store.dropSchema()
        await store.close()
    }

    @Test(.timeLimit(.minutes(2)))
    func aWorkerPausedPastItsLeaseWritesNothingAfterLosingIt() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let (server, environment, store) = try await Self.setUp(sandbox, latency: .milliseconds(150))
        let journal = store.runJournal()
        let workload = try await CrashWorkload(repository: store, journal: journal, names: ["crash-sequence"])
        try await workload.enqueue(6)
        let arguments = ["--poll", "0.05", "--lease", "1.5"]

        let paused = try WorkerProcess(environment: environment, arguments: arguments)
        for _ in 0..<200 where await server.calls().count < 4 { try await Task.sleep(for: .milliseconds(50)) }
        paused.signal(SIGSTOP)
        let pausedAt = Date()
        // Its lease runs out (it cannot renew it while stopped); another worker takes the runs over and ends them.
        try await Task.sleep(for: .seconds(2))
        let other = try WorkerProcess(environment: environment, arguments: arguments)
        let deadline = Date().addingTimeInterval(60)
        while try await Self.unfinished(journal), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let before = try await Self.snapshot(journal)

        // Resumed, the paused worker finishes the calls it had under way, and its writes are refused.
        let resumedAt = Date()
        paused.signal(SIGCONT)
        try await Task.sleep(for: .seconds(3))
        let after = try await Self.snapshot(journal)
        await paused.kill()
        await other.kill()
        // A call the paused worker was sending when it stopped reaches the server once it resumes, after the other
        // worker recorded that step (its idempotency key is what lets the server tell): at most one per run.
        let all = await server.calls()
        let calls = all.filter { $0.receivedAt < resumedAt }
        #expect(all.count - calls.count <= 6, "\(all.count - calls.count) calls after the paused worker resumed")
        await server.stop()

        #expect(before.runs.count == 6)
        #expect(before.runs.allSatisfy { $0.status == .completed }, "\(before.runs.map(\.status))")
        #expect(after == before, "the paused worker wrote after losing its lease")
        try await CrashRecoveryTests.checkInvariants(
            journal: journal, calls: calls, kills: [pausedAt], enqueued: workload.enqueued, interrupted: 0, recordedCalls: 30)
        try await store.dropSchema()
        await store.close()
    }

    struct Snapshot: Equatable {
        var runs: [RunRecord]
        var steps: [String: [StepRecord]]
    }

    /// Every run and step outcome as the journal has them.
    static func snapshot(_ journal: any RunJournal) async throws -> Snapshot {
        let runs = try await journal.runs(RunQuery(limit: 10_000))
        var steps: [String: [StepRecord]] = [:]
        for run in runs { steps[run.id] = try await journal.steps(of: run.id) }
        return Snapshot(runs: runs, steps: steps)
    }
}
