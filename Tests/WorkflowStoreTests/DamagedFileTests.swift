import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
@testable import WorkflowStore

/// A damaged or unwritable file is named as such, with what to do, and never with the SQL that was running.
@Suite struct DamagedFileTests {
    static let marker = "MARKER-" + String(repeating: "0123456789", count: 30)

    /// Writes a store with one workflow whose definition holds `marker`, closes it, and returns the file's path.
    static func writeStore(in folder: URL) throws -> (path: String, workflowID: Int64) {
        let path = folder.appendingPathComponent("baton.sqlite").path
        let definition = #"{"format": 1, "name": "damaged", "description": "\#(marker)", "steps": []}"#
        let id = try WorkflowStore(path: path).createWorkflow(definition: definition, name: "damaged", description: nil, source: .composed).workflowID
        // The store is gone: its last connection checkpointed the WAL into the file.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        return (path, id)
    }

    /// Overwrites whole pages of the file with a byte pattern no SQLite page has.
    static func damage(_ path: String, pages: (_ pageSize: Int, _ data: Data) -> [Int]) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let declared = Int(data[16]) << 8 | Int(data[17])
        let pageSize = declared == 1 ? 65_536 : declared
        for page in pages(pageSize, data) {
            let start = page * pageSize
            data.replaceSubrange(start..<min(start + pageSize, data.count), with: Data(repeating: 0xA5, count: pageSize))
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func expectDamaged(_ error: StoreError, _ path: String) {
        #expect(error.code == .corrupt)
        #expect(error.message.contains("the database \(path) is damaged"), "\(error.message)")
        #expect(error.message.contains("sqlite3 \(path) 'PRAGMA integrity_check'"))
        #expect(!error.message.contains("SELECT") && !error.message.contains("SQLite error"), "\(error.message)")
    }

    @Test func aDamagedPageIsReportedAsADamagedFile() async throws {
        try await withTemporaryFolder { folder in
            let (path, id) = try Self.writeStore(in: folder)
            try Self.damage(path) { pageSize, data in
                [data.range(of: Data(Self.marker.utf8))!.lowerBound / pageSize]
            }
            let store = try WorkflowStore(path: path)
            let error = await #expect(throws: StoreError.self) { try await store.definition(workflowID: id, version: 1) }
            if let error { Self.expectDamaged(error, path) }
            let sync = await #expect(throws: StoreError.self) { try await store.version(workflowID: id, number: 1) }
            if let sync { Self.expectDamaged(sync, path) }
        }
    }

    @Test func aFileThatIsNoLongerADatabaseIsReportedAsDamaged() async throws {
        try await withTemporaryFolder { folder in
            let (path, _) = try Self.writeStore(in: folder)
            try Self.damage(path) { _, _ in [0] }
            let error = #expect(throws: StoreError.self) { try WorkflowStore(path: path) }
            if let error { Self.expectDamaged(error, path) }
        }
    }
}
