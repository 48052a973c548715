import Foundation
internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    /// Every stored schedule state, by workflow id.
    public func scheduleStates() async throws -> [Int64: ScheduleState] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM schedule")
            return Dictionary(uniqueKeysWithValues: rows.map { row in
                let state = ScheduleState(
                    workflowID: row["workflowId"], version: row["version"], activatedAt: Date(milliseconds: row["activatedAt"]),
                    lastFire: (row["lastFireAt"] as Int64?).map(Date.init(milliseconds:)),
                    buffered: (row["bufferedAt"] as Int64?).map(Date.init(milliseconds:)),
                    nextFire: (row["nextFireAt"] as Int64?).map(Date.init(milliseconds:)))
                return (state.workflowID, state)
            })
        }
    }

    /// Saves schedule states in one transaction, each replacing its workflow's previous one.
    public func saveSchedules(_ states: [ScheduleState]) async throws {
        guard !states.isEmpty else { return }
        try await write { db in
            for state in states {
                try db.execute(
                    sql: """
                        INSERT INTO schedule (workflowId, version, activatedAt, lastFireAt, bufferedAt, nextFireAt) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(workflowId) DO UPDATE SET version = excluded.version, activatedAt = excluded.activatedAt,
                            lastFireAt = excluded.lastFireAt, bufferedAt = excluded.bufferedAt, nextFireAt = excluded.nextFireAt
                        """,
                    arguments: [
                        state.workflowID, state.version, state.activatedAt.milliseconds, state.lastFire?.milliseconds, state.buffered?.milliseconds,
                        state.nextFire?.milliseconds,
                    ])
            }
        }
    }
}
