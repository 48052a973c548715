import Foundation
import Testing
import WorkflowEngine
import WorkflowModel
@testable import WorkflowStore

/// A long-running process copies the write-ahead log into the database from its own connection, not in commits.
@Suite struct CheckpointTests {
    @Test func commitsLeaveTheLogAndTheBackgroundCheckpointCopiesIt() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("baton.sqlite").path
            let store = try WorkflowStore(path: path, configuration: StoreConfiguration(synchronous: .normal, checkpointsInBackground: true))
            #expect(try store.pragma("wal_autocheckpoint") == "0", "commits never checkpoint")
            let before = Self.size(path)
            let runs = (0..<3000).map { index in
                JournalEntry.run(RunRecord(
                    id: "run-\(index)", workflowID: 1, workflowName: "w", version: 1, status: .pending,
                    input: .object(JSONObject([("padding", .string(String(repeating: "x", count: 200)))])), createdAt: Date()))
            }
            try await store.runJournal().write(runs, durable: true)
            // Within a few seconds the background checkpoint has moved the pages into the database file.
            let deadline = ContinuousClock.now + .seconds(15)
            while Self.size(path) < before + 300_000, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(Self.size(path) >= before + 300_000, "the database file stayed at \(Self.size(path)) bytes")
        }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
