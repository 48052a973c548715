import Foundation
internal import GRDB
import WorkflowModel
import WorkflowRepository

/// A row of the `composition` table: the whole record as JSON, plus the few fields that are searched or listed.
struct CompositionRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "composition"

    var record: CompositionRecord

    init(_ record: CompositionRecord) {
        self.record = record
    }

    init(row: Row) throws {
        let id: String = try row.decode(forColumn: "id")
        let json: String = try row.decode(forColumn: "record")
        do {
            record = try JSONDecoder().decode(CompositionRecord.self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corrupt, "composition \(id) cannot be read back: \(error)")
        }
    }

    func encode(to container: inout PersistenceContainer) throws {
        // Dates keep Foundation's default encoding, which reads back to the identical `Date`.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        container["id"] = record.id
        container["workflowId"] = record.workflowID
        container["kind"] = record.kind.rawValue
        container["request"] = record.request
        container["outcome"] = record.outcome.rawValue
        container["startedAt"] = record.startedAt.milliseconds
        container["durationMs"] = record.durationMs
        container["record"] = String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}
