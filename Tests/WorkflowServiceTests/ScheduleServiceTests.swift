import BatonTestSupport
import Foundation
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Schedules firing through the use case, on a real database, at moments the test chooses.
@Suite struct ScheduleServiceTests {
    static func activate(_ file: String, in service: WorkflowService) async throws -> Int64 {
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, file), as: UTF8.self)
        let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: text).validated)
        return try await service.save(workflow, source: .imported, activate: true).summary.id
    }

    /// 2026-12-02 22:30 in Berlin.
    static let start = Date(timeIntervalSince1970: 1_796_247_000)

    @Test func missedNightsAreCaughtUpOnceHoweverManyProcessesTick() async throws {
        let (service, folder) = try RunServiceTests.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await Self.activate("nightly-sales-report.json", in: service)   // 0 23 * * * Berlin, catchUp all, at most 7

        #expect(try await service.fireSchedules(now: Self.start).isEmpty)
        let listed = try await service.schedules(now: Self.start)
        #expect(listed.map(\.summary.id) == [id])
        #expect(listed.first?.nextFire == Self.start.addingTimeInterval(30 * 60))

        // Down until 23:30 three days later: each missed 23:00 (the 2nd to the 5th) starts one run, oldest first.
        let later = Self.start.addingTimeInterval(3 * 86_400 + 3_600)
        let fired = try await service.fireSchedules(now: later)
        #expect(fired.count == 4)
        #expect(fired.map { $0.trigger?["scheduledAt"]?.stringValue ?? "" } == fired.map { $0.trigger?["scheduledAt"]?.stringValue ?? "" }.sorted())
        // A second process ticking at the same moment, or this one again, starts nothing more.
        let (other, otherFolder) = try RunServiceTests.service(at: folder)
        defer { _ = otherFolder }
        #expect(try await other.fireSchedules(now: later).isEmpty)
        #expect(try await service.fireSchedules(now: later).isEmpty)
        #expect(try await service.repository.runJournal().runs(RunQuery(workflowID: id)).count == 4)
    }

    @Test func aFireWhileTheLastRunGoesOnIsSkippedByDefault() async throws {
        let (service, folder) = try RunServiceTests.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await Self.activate("service-health-watchdog.json", in: service)   // every 5 minutes, overlap skip
        _ = try await service.fireSchedules(now: Self.start)
        let first = try await service.fireSchedules(now: Self.start.addingTimeInterval(5 * 60))
        #expect(first.count == 1)
        // The queued run has not finished, so the next fire is skipped.
        #expect(try await service.fireSchedules(now: Self.start.addingTimeInterval(10 * 60)).isEmpty)
        #expect(try await service.repository.runJournal().runs(RunQuery(workflowID: id)).count == 1)
    }
}
