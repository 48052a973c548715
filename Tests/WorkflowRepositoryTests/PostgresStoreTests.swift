import BatonTestSupport
import Foundation
import PostgresStore
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// What only the PostgreSQL store does: wake idle workers of other processes, and share claims between processes
/// without waiting on each other. Two stores on one schema stand for two processes.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipNote)))
struct PostgresStoreTests {
    static func twoProcesses() async throws -> (PostgresStore, PostgresStore) {
        let location = try PostgresLocation(url: try #require(TestPostgres.freshSchemaURL()))
        return (try await PostgresStore.open(location), try await PostgresStore.open(location))
    }

    static func pending(_ id: String) -> RunRecord {
        RunRecord(id: id, workflowID: 1, workflowName: "w", version: 1, status: .pending, input: .object(JSONObject()), createdAt: Date())
    }

    @Test func anIdleWorkerIsWokenWhenAnotherProcessQueuesARun() async throws {
        let (worker, producer) = try await Self.twoProcesses()
        // The first wait opens the listening connection; a quiet one returns after its limit.
        await worker.journal.waitForWork(upTo: .milliseconds(300))
        let clock = ContinuousClock()
        let started = clock.now
        async let woken: Void = worker.journal.waitForWork(upTo: .seconds(30))
        try await Task.sleep(for: .milliseconds(200))
        _ = try await producer.journal.enqueue(Self.pending("r1"))
        await woken
        #expect(clock.now - started < .seconds(5), "the worker slept through the announcement")
        await worker.close()
        await producer.close()
    }

    @Test func concurrentClaimsOfTwoProcessesTakeEachRunOnce() async throws {
        let (a, b) = try await Self.twoProcesses()
        let ids = (0..<40).map { "r\($0)" }
        for id in ids { _ = try await a.journal.enqueue(Self.pending(id)) }
        let owners = [RunOwner(id: "host-a:1:a"), RunOwner(id: "host-b:2:b")]
        let now = Date()
        let taken = try await withThrowingTaskGroup(of: (String, Int)?.self) { group in
            for id in ids {
                for (index, journal) in [a.journal, b.journal].enumerated() {
                    group.addTask {
                        let lease = RunLease(owner: owners[index], expiresAt: now.addingTimeInterval(30))
                        return try await journal.claim(id, lease: lease, at: now) ? (id, index) : nil
                    }
                }
            }
            return try await group.reduce(into: [(String, Int)]()) { if let claim = $1 { $0.append(claim) } }
        }
        #expect(taken.count == ids.count, "every run is claimed once: \(taken.count) claims")
        #expect(Set(taken.map(\.0)) == Set(ids))
        await a.close()
        await b.close()
    }
}
