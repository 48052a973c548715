import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct SchedulesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "Make many scheduled workflows due in the same minute and time one scheduler tick that fires them all.",
        discussion: """
            Saves --workflows active workflows with a `* * * * *` schedule, makes each owe its latest minute, then \
            times the scheduler's tick (durable, synchronous=FULL) and checks one pending run per workflow was stored.
            """)

    @Option(help: "Scheduled workflows.") var workflows = 10_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("baton.sqlite").path
        try await Self.prepare(path: path, count: workflows)

        let store = try WorkflowStore(path: path, create: false)
        let engine = WorkflowEngine(
            environment: EngineEnvironment(journal: store.runJournal(), caller: NoOpConnectorCaller(), catalog: ConnectorCatalog()), source: store)
        let service = WorkflowService(repository: store, catalog: ConnectorCatalog(), engine: engine)
        _ = try await service.schedules(now: Date())  // what a running scheduler already holds: the workflows by trigger
        let clock = ContinuousClock()
        let start = clock.now
        let fired = try await service.fireSchedules(now: Date())
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stored = try await store.runJournal().runs(RunQuery(statuses: [.pending], limit: workflows * 2)).count
        if json {
            return RunJSON.print(.object(JSONObject([
                ("workflows", .number(Double(workflows))), ("fired", .number(Double(fired.count))), ("seconds", .number(seconds)),
                ("pendingRunsStored", .number(Double(stored))),
            ])))
        }
        print(String(format: "schedules (%d due in the same minute): one tick fired %d runs in %.2f s; %d pending runs stored",
            workflows, fired.count, seconds, stored))
    }

    /// Saves `count` scheduled workflows (quickly: durability matters only for the timed tick), each owing a fire.
    static func prepare(path: String, count: Int) async throws {
        let store = try WorkflowStore(path: path, configuration: StoreConfiguration(synchronous: .normal))
        let service = WorkflowService(repository: store, catalog: ConnectorCatalog())
        let now = Date()
        var states: [ScheduleState] = []
        for index in 0..<count {
            let document = """
                {"format": 1, "name": "tick-\(index)", "trigger": {"type": "schedule", "cron": "* * * * *"},
                 "steps": [{"id": "note", "kind": "transform", "output": {"at": "${trigger.scheduledAt}"}}]}
                """
            guard let workflow = WorkflowValidator().validate(json: document).validated else {
                throw CommandError(description: "the bench workflow does not validate")
            }
            let saved = try await service.save(workflow, source: .imported, activate: true)
            // Live for two minutes, last fired 90 s ago: the latest minute mark is owed.
            states.append(ScheduleState(
                workflowID: saved.summary.id, version: 1, activatedAt: now.addingTimeInterval(-120), lastFire: now.addingTimeInterval(-90)))
        }
        try await store.saveSchedules(states)
    }
}
