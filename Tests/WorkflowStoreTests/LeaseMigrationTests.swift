import Foundation
import GRDB
import Testing
import WorkflowEngine
@testable import WorkflowStore
import WorkflowRepository

/// The migration from owners by process id to leases keeps every run as it was, and releases the runs a process held.
@Suite struct LeaseMigrationTests {
    @Test func runsHeldByAProcessIdComeThroughReleasedAndOtherwiseUnchanged() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("baton.sqlite").path
            do {
                let pool = try DatabasePool(path: path)
                try StoreSchema.migrator.migrate(pool, upTo: "v5")
                try await pool.write { db in
                    let insert = """
                        INSERT INTO run (id, workflowId, workflowName, version, status, input, createdAt, owner, idempotencyKey)
                        VALUES (?, 1, 'w', 1, ?, '{}', 1000, ?, ?)
                        """
                    try db.execute(sql: insert, arguments: ["held", "running", Int64(getpid()), "key-1"])
                    try db.execute(sql: insert, arguments: ["done", "completed", nil, nil])
                }
            }
            let journal = try WorkflowStore(path: path).runJournal()
            // Same creation time: the later insert (rowid) lists first, as before.
            #expect(try await journal.runs(RunQuery()).map(\.id) == ["done", "held"])
            #expect(try await journal.runs(RunQuery(resumableAt: Date(timeIntervalSince1970: 2))).map(\.id) == ["held"])
            let held = try #require(try await journal.run("held"))
            #expect(held.status == .running && held.idempotencyKey == "key-1")
            var again = held
            again.id = "another"
            #expect(try await journal.enqueue(again).id == "held")
            let lease = RunLease(owner: RunOwner(), expiresAt: Date(timeIntervalSince1970: 60))
            #expect(try await journal.claim("held", lease: lease, at: Date(timeIntervalSince1970: 2)))
        }
    }
}
