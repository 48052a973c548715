import Foundation
internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    /// The run with a callback or approval wait of this token, for `POST /callbacks/{token}`; `nil` when none has it.
    public func runID(waitToken token: String) async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT runId FROM runWait WHERE token = ? LIMIT 1", arguments: [token]) }
    }
}
