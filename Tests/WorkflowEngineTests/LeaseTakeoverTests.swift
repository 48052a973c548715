import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// Two engines sharing a journal, as processes on two machines sharing a database: one takes over a run whose
/// lease ran out, and the one that lost it stops without writing anything more.
@Suite struct LeaseTakeoverTests {
    /// Answers every call at once with a customer, except the first, which waits until `open()`.
    final class GatedCaller: ConnectorCaller {
        private let state = Mutex<(holding: Bool, reached: Bool, calls: [String])>((true, false, []))

        var calls: [String] { state.withLock { $0.calls } }
        var reached: Bool { state.withLock { $0.reached } }
        func open() { state.withLock { $0.holding = false } }

        func send(_ request: ConnectorRequest) async throws -> ConnectorResponse {
            let held = state.withLock { state in
                state.calls.append(request.stepKey)
                defer { state.reached = true }
                return state.holding && !state.reached
            }
            while held, state.withLock({ $0.holding }) { try await Task.sleep(for: .milliseconds(5)) }
            return ConnectorResponse(status: 200, headers: ["content-type": "application/json"], body: Data(#"{"id": "c-1"}"#.utf8))
        }
    }

    static let definition = Result { try EngineHarness.parse(EngineBehaviourTests.workflow(
        [EngineBehaviourTests.getCustomer("a"), EngineBehaviourTests.getCustomer("b")].joined(separator: ","))) }

    /// Two journals on one new database file, one per engine, as two processes would have.
    static func journals() throws -> (any RunJournal, any RunJournal) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lease-\(UUID().uuidString).sqlite").path
        return (try WorkflowStore(path: path).runJournal(), try WorkflowStore(path: path).runJournal())
    }

    static func engine(_ journal: any RunJournal, caller: any ConnectorCaller, clock: any EngineClock, lease: TimeInterval) throws -> WorkflowEngine {
        let environment = EngineEnvironment(journal: journal, clock: clock, caller: caller, catalog: Fixtures.catalog, secrets: EngineHarness.secrets)
        return WorkflowEngine(environment: environment, source: FixedWorkflows([1: try definition.get()]), leaseDuration: lease)
    }

    static func start(_ engine: WorkflowEngine) -> Task<RunRecord, any Error> {
        Task { try await engine.start(workflowID: 1, name: "t", version: 1, definition: try definition.get(), input: JSONObject()) }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        try #require(condition())
    }

    @Test func anotherEngineTakesOverAnExpiredLeaseAndTheFormerOwnerWritesNothingMore() async throws {
        let (journalA, journalB) = try Self.journals()
        let clock = VirtualClock()
        let caller = GatedCaller()
        // Long leases in real time, so no heartbeat comes during the test: only the virtual clock ends A's lease.
        let a = try Self.engine(journalA, caller: caller, clock: clock, lease: 3600)
        let b = try Self.engine(journalB, caller: caller, clock: clock, lease: 3600)
        let started = Self.start(a)
        try await Self.waitUntil { caller.reached }
        #expect(try await b.resumeDue().isEmpty, "A's lease holds")

        clock.advance(by: 3601)
        let resumed = try await b.resumeDue()
        #expect(resumed.map(\.status) == [.completed])
        let runID = try #require(resumed.first?.id)

        try await journalB.flush()
        caller.open()
        let fromA = try await started.value
        // A's call came back after B took the run: A recorded nothing, made no further call, and reports the run as
        // it stands.
        #expect(fromA.id == runID)
        #expect(fromA.status == .completed)
        #expect(caller.calls == ["a", "a", "b"])
        let steps = try await journalB.steps(of: runID)
        #expect(steps.map(\.key) == ["a", "b"])
        #expect(try await journalA.run(runID)?.status == .completed)
    }

    /// A run started by an engine with `lease`, held at its first call; the other journal, to watch it.
    static func heldAtItsFirstCall(lease: TimeInterval, clock: any EngineClock = SystemClock()) async throws
        -> (caller: GatedCaller, started: Task<RunRecord, any Error>, journal: any RunJournal, runID: String)
    {
        let (journalA, journalB) = try journals()
        let caller = GatedCaller()
        let started = start(try engine(journalA, caller: caller, clock: clock, lease: lease))
        try await waitUntil { caller.reached }
        return (caller, started, journalB, try #require(try await journalB.runs(RunQuery()).first?.id))
    }

    @Test func theHeartbeatKeepsARunningRunFromOthers() async throws {
        // The heartbeat beats in real time; leases are measured on a clock that moves only when told, so a busy
        // machine that delays a beat cannot let the lease run out.
        let clock = VirtualClock()
        let (caller, started, journalB, runID) = try await Self.heldAtItsFirstCall(lease: 0.3, clock: clock)
        clock.advance(by: 1)
        // The first lease has run out; a renewal extends it from the new time.
        for _ in 0..<600 where try await !journalB.runs(RunQuery(resumableAt: clock.now)).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await journalB.runs(RunQuery(resumableAt: clock.now)).isEmpty)
        let other = RunLease(owner: RunOwner(id: "elsewhere:1:0"), expiresAt: clock.now + 60)
        #expect(try await journalB.claim(runID, lease: other, at: clock.now) == false)

        caller.open()
        #expect(try await started.value.status == .completed)
        #expect(try await journalB.steps(of: runID).map(\.key) == ["a", "b"])
    }

    @Test func anEngineWhoseHeartbeatFindsTheRunTakenStopsIt() async throws {
        let (caller, started, journalB, runID) = try await Self.heldAtItsFirstCall(lease: 0.6)
        // Another owner, whose clock runs ahead, takes the run while A's call is still out.
        let later = Date() + 3600
        #expect(try await journalB.claim(runID, lease: RunLease(owner: RunOwner(id: "elsewhere:1:0"), expiresAt: later + 60), at: later))

        // A's next renewal finds the run gone and cancels its execution without the gate opening.
        let run = try await started.value
        #expect(run.status == .running)
        #expect(caller.calls == ["a"])
        #expect(try await journalB.steps(of: runID).isEmpty)
        #expect(try await journalB.run(runID)?.status == .running)
    }
}
