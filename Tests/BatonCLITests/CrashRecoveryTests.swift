import BatonTestSupport
import Foundation
import HTTPClients
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// Runs of mixed patterns executed by `baton worker` processes that are killed with SIGKILL at random moments and
/// started again, until every run has ended. Then the journal and the calls the connectors received must agree:
/// one outcome per step, nothing recorded executed twice, compensations only of completed steps, in reverse order.
@Suite(.serialized) struct CrashRecoveryTests {
    @Test func killedWorkersLoseAndRepeatNoRecordedWork() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let server = ConnectorServer(catalog: Fixtures.catalog)
        let environment = try await RunCommandTests.environment(sandbox, server: server)
        await server.setLatency(.milliseconds(40))
        await server.always("crm.updateCustomer", .init(status: 409, body: #"{"message":"conflict"}"#))

        let store = try WorkflowStore(path: sandbox.db)
        let journal = store.runJournal()
        let workload = try await CrashWorkload(repository: store, journal: journal)
        func enqueue(_ count: Int) async throws { try await workload.enqueue(count) }
        var generator = SystemRandomNumberGenerator()

        // One worker with nothing to do fills the catalog cache, so the killed ones spend their lives on runs.
        await (try WorkerProcess(environment: environment, arguments: ["--until-idle"])).wait()

        // Kill phase: each worker gets fresh runs, then dies at a random moment.
        var kills: [Date] = []
        try await enqueue(8)
        let started = Date()
        while kills.count < 24, Date().timeIntervalSince(started) < 60 {
            try await enqueue(3)
            let received = await server.calls().count
            let worker = try WorkerProcess(environment: environment)
            // Kill it at a random moment once it has started calling, however long a busy machine takes to start it.
            for _ in 0..<100 where await server.calls().count == received { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...330, using: &generator)))
            kills.append(Date())
            await worker.kill()
        }
        #expect(kills.count >= 20)

        // Recovery phase: workers run to idleness until every run has ended.
        for _ in 0..<40 {
            let unfinished = try await journal.runs(RunQuery(statuses: [.pending, .running, .waiting, .compensating], limit: 1))
            if unfinished.isEmpty { break }
            let worker = try WorkerProcess(environment: environment, arguments: ["--until-idle", "--poll", "0.05"])
            await worker.wait()
            try await Task.sleep(for: .milliseconds(100))
        }
        let calls = await server.calls()
        await server.stop()

        try await Self.checkInvariants(journal: journal, calls: calls, kills: kills, enqueued: workload.enqueued, interrupted: 10, recordedCalls: 100)
        #expect(try store.integrityCheck() == "ok")
    }
}

extension CrashRecoveryTests {
    /// What must hold once every run has ended, however often workers died: each run ended as its workflow does,
    /// one outcome per step, no call received after its outcome was recorded, at most one extra execution of a call
    /// per crash while it was in flight, and compensations only of completed steps, in reverse order. At least
    /// `minimum` runs must have been interrupted, and more than `minimumCalls` call outcomes recorded.
    static func checkInvariants(
        journal: any RunJournal, calls: [ConnectorServer.Call], kills: [Date], enqueued: Int, interrupted minimum: Int,
        recordedCalls minimumCalls: Int
    ) async throws {
        let runs = try await journal.runs(RunQuery(limit: 10_000))
        #expect(runs.count == enqueued)
        var recordedCallKeys = 0
        var interrupted = 0
        for run in runs {
            #expect(run.status == CrashWorkload.expected[run.workflowName], "\(run.workflowName) \(run.id): \(run.status) \(run.error?.description ?? "")")
            let steps = try await journal.steps(of: run.id)
            if let first = steps.map(\.endedAt).min(), let last = steps.map(\.endedAt).max(), kills.contains(where: { $0 > first && $0 < last }) {
                interrupted += 1
            }
            #expect(Set(steps.map(\.key)).count == steps.count, "two outcomes for one step in \(run.id)")
            let byKey = Dictionary(grouping: calls.filter { $0.idempotencyKey?.hasPrefix(run.id + "/") == true }) { $0.idempotencyKey! }
            for step in steps where step.kind == "call" && step.status != .failed {
                recordedCallKeys += 1
                let received = byKey[run.id + "/" + step.key] ?? []
                #expect(!received.isEmpty, "\(step.key) of \(run.id) recorded without a call")
                // Once recorded, a step is never executed again: no call comes after its outcome.
                #expect(received.allSatisfy { $0.receivedAt <= step.endedAt.addingTimeInterval(0.005) }, "\(run.id)/\(step.key) called after it was recorded")
            }
            // A call executed more than once was in flight at a crash: one extra execution per kill at most. (A request
            // sent just before a kill can reach the server just after it, hence the second of slack.)
            for (key, received) in byKey {
                let answered = received.filter { (200..<300).contains($0.status) }.map(\.receivedAt).sorted()
                guard let first = answered.first, let last = answered.last, answered.count > 1 else { continue }
                let crashes = kills.filter { $0 > first.addingTimeInterval(-1) && $0 < last }.count
                #expect(answered.count - 1 <= crashes, "\(key) executed \(answered.count) times across \(crashes) crashes")
            }
            if run.workflowName == "crash-saga" {
                let compensations = steps.filter { $0.compensates != nil }
                #expect(compensations.map(\.stepID) == ["release", "delete"], "\(run.id)")
                for compensation in compensations {
                    #expect(steps.first { $0.key == compensation.compensates }?.status == .succeeded)
                }
                let order = calls.filter { $0.idempotencyKey?.hasPrefix(run.id + "/") == true && (200..<300).contains($0.status) }
                    .map(\.operation).filter { ["releaseReservation", "deleteCustomer"].contains($0) }
                #expect(order.first == "releaseReservation" && order.last == "deleteCustomer", "\(run.id): \(order)")
            }
        }
        #expect(recordedCallKeys > minimumCalls)
        // The kills landed in the middle of runs, not between them.
        #expect(interrupted >= minimum, "only \(interrupted) runs were interrupted by a kill")
    }
}

/// A `baton worker` child process. Its end is awaited through its termination handler: `waitUntilExit` spins a
/// run loop and would take a core from the connector server.
final class WorkerProcess: Sendable {
    private let process = Process()
    private let exited = AsyncStream<Void>.makeStream()

    init(environment: [String: String], arguments: [String] = ["--poll", "0.05"]) throws {
        process.executableURL = BatonProcess.executable
        process.arguments = ["worker"] + arguments
        process.currentDirectoryURL = Fixtures.root
        process.environment = BatonProcess.hermeticEnvironment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let sink = exited.continuation
        process.terminationHandler = { _ in sink.finish() }
        try process.run()
    }

    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        await wait()
    }

    /// Sends `signal` (SIGSTOP, SIGCONT) without waiting for anything.
    func signal(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    func wait() async {
        for await _ in exited.stream {}
    }
}
