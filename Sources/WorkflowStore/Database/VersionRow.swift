import Foundation
internal import GRDB
import WorkflowRepository

/// A row of the `workflowVersion` table. Only ever inserted: a trigger refuses updates.
struct VersionRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "workflowVersion"

    var version: WorkflowVersion

    init(_ version: WorkflowVersion) {
        self.version = version
    }

    init(row: Row) throws {
        let sourceText: String = try row.decode(forColumn: "source")
        let workflowID: Int64 = try row.decode(forColumn: "workflowId")
        guard let source = VersionSource(rawValue: sourceText) else {
            throw StoreError(.corrupt, "a version of workflow \(workflowID) has the unknown source \"\(sourceText)\"")
        }
        version = WorkflowVersion(
            workflowID: workflowID, number: try row.decode(forColumn: "number"),
            definition: try row.decode(forColumn: "definition"), name: try row.decode(forColumn: "name"),
            description: try row.decode(forColumn: "description"), source: source,
            compositionID: try row.decode(forColumn: "compositionId"),
            createdAt: Date(milliseconds: try row.decode(forColumn: "createdAt")))
    }

    func encode(to container: inout PersistenceContainer) {
        container["workflowId"] = version.workflowID
        container["number"] = version.number
        container["definition"] = version.definition
        container["name"] = version.name
        container["description"] = version.description
        container["source"] = version.source.rawValue
        container["compositionId"] = version.compositionID
        container["createdAt"] = version.createdAt.milliseconds
    }
}
