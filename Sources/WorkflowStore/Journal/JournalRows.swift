import Foundation
internal import GRDB
import WorkflowEngine
import WorkflowModel

/// How journal records map to rows of `run`, `runStep` and `runWait`.
enum JournalRows {
    static let runColumns = """
        id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode, errorMessage, createdAt, endedAt,
        wakeAt, replayOf, cancelRequested, idempotencyKey
        """

    static let upsertRun = """
        INSERT INTO run (id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode, errorMessage,
            createdAt, endedAt, wakeAt, replayOf, owner, idempotencyKey)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, output = excluded.output, errorStep = excluded.errorStep,
            errorCode = excluded.errorCode, errorMessage = excluded.errorMessage, endedAt = excluded.endedAt,
            wakeAt = excluded.wakeAt, owner = excluded.owner,
            cancelRequested = CASE WHEN excluded.status IN ('completed', 'failed', 'compensated', 'cancelled') THEN 0
                ELSE run.cancelRequested END
        """

    static let insertStep = """
        INSERT INTO runStep (runId, key, stepId, kind, status, attempts, input, output, errorStep, errorCode, errorMessage,
            startedAt, endedAt, sequence, compensates)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let upsertWait = """
        INSERT INTO runWait (runId, key, stepId, kind, token, createdAt, deadline, message, resolution)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(runId, key) DO UPDATE SET deadline = excluded.deadline, resolution = excluded.resolution
        """

    /// Writes one entry; `owner` is this process, taken as the run's owner while the run is running or compensating.
    static func write(_ entry: JournalEntry, owner: Int32, in db: Database) throws {
        switch entry {
        case .run(let run):
            let released = run.status == .pending || run.status == .waiting || run.status.isTerminal
            try db.cachedStatement(sql: upsertRun).execute(arguments: [
                run.id, run.workflowID, run.workflowName, run.version, run.status.rawValue, run.input.jsonText, run.trigger?.jsonText, run.output?.jsonText,
                run.error?.step, run.error?.code, run.error?.message, run.createdAt.milliseconds, run.endedAt?.milliseconds,
                run.wakeAt?.milliseconds, run.replayOf, released ? nil : Int64(owner), run.idempotencyKey,
            ])
        case .step(let step):
            do {
                try db.cachedStatement(sql: insertStep).execute(arguments: [
                    step.runID, step.key, step.stepID, step.kind, step.status.rawValue, step.attempts, step.input?.jsonText,
                    step.output?.jsonText, step.error?.step, step.error?.code, step.error?.message, step.startedAt.milliseconds,
                    step.endedAt.milliseconds, step.sequence, step.compensates,
                ])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw JournalError.duplicateStep(run: step.runID, key: step.key)
            }
        case .wait(let wait):
            try db.cachedStatement(sql: upsertWait).execute(arguments: [
                wait.runID, wait.key, wait.stepID, wait.kind.rawValue, wait.token, wait.createdAt.milliseconds,
                wait.deadline?.milliseconds, wait.message, wait.resolution.map(resolutionText),
            ])
        }
    }

    static func run(_ row: Row) -> RunRecord {
        RunRecord(
            id: row["id"], workflowID: row["workflowId"], workflowName: row["workflowName"], version: row["version"],
            status: RunStatus(rawValue: row["status"]) ?? .failed, input: json(row["input"]) ?? .null, trigger: json(row["trigger"]),
            output: json(row["output"]),
            error: error(row), createdAt: Date(milliseconds: row["createdAt"]), endedAt: (row["endedAt"] as Int64?).map(Date.init(milliseconds:)),
            wakeAt: (row["wakeAt"] as Int64?).map(Date.init(milliseconds:)), replayOf: row["replayOf"],
            cancelRequested: row["cancelRequested"], idempotencyKey: row["idempotencyKey"])
    }

    static func step(_ row: Row) -> StepRecord {
        StepRecord(
            runID: row["runId"], key: row["key"], stepID: row["stepId"], kind: row["kind"],
            status: StepStatus(rawValue: row["status"]) ?? .failed, attempts: row["attempts"], input: json(row["input"]),
            output: json(row["output"]), error: error(row), startedAt: Date(milliseconds: row["startedAt"]),
            endedAt: Date(milliseconds: row["endedAt"]), sequence: row["sequence"], compensates: row["compensates"])
    }

    static func wait(_ row: Row) -> WaitRecord {
        WaitRecord(
            runID: row["runId"], key: row["key"], stepID: row["stepId"], kind: Step.Wait.Kind(rawValue: row["kind"]) ?? .callback,
            token: row["token"], createdAt: Date(milliseconds: row["createdAt"]),
            deadline: (row["deadline"] as Int64?).map(Date.init(milliseconds:)), message: row["message"],
            resolution: (row["resolution"] as String?).flatMap(resolution))
    }

    private static func error(_ row: Row) -> RunError? {
        guard let code: String = row["errorCode"] else { return nil }
        return RunError(step: row["errorStep"], code: code, message: row["errorMessage"] ?? "")
    }

    private static func json(_ text: String?) -> JSONValue? { text.flatMap { try? JSONParser.parse($0) } }

    static func resolutionText(_ resolution: WaitResolution) -> String {
        JSONValue.object(JSONObject([
            ("approved", .bool(resolution.approved)), ("data", resolution.data), ("by", resolution.by.map(JSONValue.string) ?? .null),
            ("at", .number(Double(resolution.at.milliseconds))),
        ])).jsonText
    }

    private static func resolution(_ text: String) -> WaitResolution? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return WaitResolution(
            approved: value["approved"]?.boolValue ?? false, data: value["data"] ?? .null, by: value["by"]?.stringValue,
            at: Date(milliseconds: Int64(value["at"]?.numberValue ?? 0)))
    }
}
