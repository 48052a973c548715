import BatonTestSupport
import Foundation
import NIOHTTP1
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// `baton serve` as a process: stopped with SIGTERM it loses nothing; killed with SIGKILL while schedules are due it
/// starts exactly what the policy says after a restart; two of them on one database start one run per fire time.
@Suite(.serialized) struct ServeProcessTests {
    /// A database with an API token and `document` active; returns its path and the token.
    static func database(_ document: String) async throws -> (path: String, token: String, service: WorkflowService) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-serve-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("baton.sqlite").path
        let service = WorkflowService(repository: try WorkflowStore(path: path), catalog: Fixtures.catalog)
        let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: document).validated)
        _ = try await service.save(workflow, source: .imported, activate: true)
        return (path, try await service.createToken(name: "tests").token, service)
    }

    static let ticking = """
        {"format": 1, "name": "tick", "trigger": {"type": "schedule", "cron": "* * * * *", "timezone": "UTC", "catchUp": "CATCHUP", "maxCatchUp": 100},
         "steps": [{"id": "note", "kind": "transform", "output": {"at": "${trigger.scheduledAt}"}}]}
        """

    /// Pretends the schedule has been live, and the process down, for the last ten minutes.
    static func pretendDowntime(_ service: WorkflowService) async throws -> Date {
        let summary = try await service.repository.workflow("tick")
        let tenMinutesAgo = Date().addingTimeInterval(-600)
        try await service.repository.saveSchedule(ScheduleState(workflowID: summary.id, version: 1, activatedAt: tenMinutesAgo, lastFire: tenMinutesAgo))
        return Date()
    }

    static func fireTimes(_ service: WorkflowService) async throws -> [String] {
        try await service.runs(limit: 1000).compactMap { $0.trigger?["scheduledAt"]?.stringValue }
    }

    @Test func sigtermStopsGracefullyAndAWaitingRunFinishesAfterARestart() async throws {
        let document = """
            {"format": 1, "name": "approve-then-finish", "trigger": {"type": "manual"},
             "steps": [{"id": "ok", "kind": "wait", "for": "approval", "timeout": "1h", "message": "go on?"},
                       {"id": "done", "kind": "transform", "output": {"approved": "${ok.approved}"}}]}
            """
        let (db, token, service) = try await Self.database(document)
        let first = try await ServeProcess.start(db: db)
        let started = try await ServerHarness.request(
            .POST, first.base + "/api/v1/workflows/approve-then-finish/runs?wait=10s", body: "{}", token: token)
        #expect(started.status == 202, "\(started.body)")
        #expect(started.json?["status"] == .string("waiting"))
        let runID = try #require(started.json?["id"]?.stringValue)
        first.signal(SIGTERM)
        #expect(await first.wait() == 0)

        let second = try await ServeProcess.start(db: db)
        defer { Task { await second.kill() } }
        let trace = try await ServerHarness.request(.GET, second.base + "/api/v1/runs/\(runID)", token: token)
        let path = try #require(trace.json?["waits"]?.arrayValue?.first?["callbackPath"]?.stringValue)
        let approved = try await ServerHarness.request(.POST, second.base + path, body: #"{"approve": true}"#)
        #expect(approved.status == 200, "\(approved.body)")
        let ended = try await service.awaitOutcome(of: runID, timeout: .seconds(30))
        #expect(ended.status == .completed)
        #expect(ended.output?["approved"] == .bool(true))
    }

    @Test func killedWhileSchedulesAreDueThenRestartedStartsOnlyTheLatestMissedFire() async throws {
        let (db, _, service) = try await Self.database(Self.ticking.replacingOccurrences(of: "CATCHUP", with: "latest"))
        let due = try await Self.pretendDowntime(service)
        let first = try await ServeProcess.start(db: db)
        await first.kill()
        let second = try await ServeProcess.start(db: db)
        defer { Task { await second.kill() } }
        try await Task.sleep(for: .seconds(2))
        // One run for the latest missed minute (a minute that passed since may add its own): none for the older ones.
        let times = try await Self.fireTimes(service).compactMap(ISO8601Text.parse)
        #expect((1...2).contains(times.count), "latest catch-up starts one run for ten minutes of missed fires, not \(times)")
        #expect(times.allSatisfy { $0 > due.addingTimeInterval(-60) }, "an older missed fire started: \(times)")
    }

    @Test func twoServeProcessesOnOneDatabaseStartOneRunPerFireTime() async throws {
        let (db, _, service) = try await Self.database(Self.ticking.replacingOccurrences(of: "CATCHUP", with: "all"))
        let due = try await Self.pretendDowntime(service)
        async let a = ServeProcess.start(db: db)
        async let b = ServeProcess.start(db: db)
        let processes = try await [a, b]
        try await Task.sleep(for: .seconds(3))
        for process in processes { await process.kill() }
        let times = try await Self.fireTimes(service)
        #expect(Set(times).count == times.count, "a fire time started more than one run: \(times.sorted())")
        #expect(times.filter { (ISO8601Text.parse($0) ?? .distantFuture) <= due }.count >= 10)
    }
}
