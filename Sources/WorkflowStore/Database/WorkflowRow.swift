import Foundation
internal import GRDB
import WorkflowRepository

/// A row of the `workflow` table.
struct WorkflowRow: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "workflow"

    var id: Int64?
    var name: String
    var description: String?
    var state: LifecycleState
    var latestVersion: Int
    var activeVersion: Int?
    var createdAt: Int64
    var updatedAt: Int64

    init(
        name: String, description: String?, state: LifecycleState, latestVersion: Int, activeVersion: Int?,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.name = name
        self.description = description
        self.state = state
        self.latestVersion = latestVersion
        self.activeVersion = activeVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        name = try row.decode(forColumn: "name")
        description = try row.decode(forColumn: "description")
        let stateText: String = try row.decode(forColumn: "state")
        guard let state = LifecycleState(rawValue: stateText) else {
            throw StoreError(.corrupt, "workflow \(id ?? 0) has the unknown state \"\(stateText)\"")
        }
        self.state = state
        latestVersion = try row.decode(forColumn: "latestVersion")
        activeVersion = try row.decode(forColumn: "activeVersion")
        createdAt = try row.decode(forColumn: "createdAt")
        updatedAt = try row.decode(forColumn: "updatedAt")
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["description"] = description
        container["state"] = state.rawValue
        container["latestVersion"] = latestVersion
        container["activeVersion"] = activeVersion
        container["createdAt"] = createdAt
        container["updatedAt"] = updatedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var summary: WorkflowSummary {
        WorkflowSummary(
            id: id ?? 0, name: name, description: description, state: state, latestVersion: latestVersion,
            activeVersion: activeVersion, createdAt: Date(milliseconds: createdAt),
            updatedAt: Date(milliseconds: updatedAt))
    }
}
