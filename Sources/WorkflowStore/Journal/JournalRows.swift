import Foundation
internal import GRDB
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// How journal records map to rows of `run`, `runStep` and `runWait`.
enum JournalRows {
    static let runColumns = """
        id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode, errorMessage, createdAt, endedAt,
        wakeAt, replayOf, cancelRequested, idempotencyKey
        """

    /// Statuses that leave a run held by nobody.
    private static let released = RunStatus.allCases.filter(\.releasesHolder).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// A write without a lease leaves the holder as it is, unless it releases the run.
    static let upsertRun = """
        INSERT INTO run (id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode, errorMessage,
            createdAt, endedAt, wakeAt, replayOf, owner, leaseExpiresAt, idempotencyKey)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, output = excluded.output, errorStep = excluded.errorStep,
            errorCode = excluded.errorCode, errorMessage = excluded.errorMessage, endedAt = excluded.endedAt,
            wakeAt = excluded.wakeAt,
            owner = CASE WHEN excluded.status IN (\(released)) THEN NULL ELSE coalesce(excluded.owner, run.owner) END,
            leaseExpiresAt = CASE WHEN excluded.status IN (\(released)) THEN NULL
                ELSE coalesce(excluded.leaseExpiresAt, run.leaseExpiresAt) END,
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

    /// Records a pending run unless a run already has its idempotency key; returns the run that holds the key.
    static func enqueue(_ run: RunRecord, in db: Database) throws -> RunRecord {
        if let key = run.idempotencyKey,
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(runColumns) FROM run WHERE idempotencyKey = ?"), arguments: [key])
        {
            return Self.run(row)
        }
        _ = try write([.run(run)], lease: nil, in: db)
        return run
    }

    /// Writes entries. Under a lease, the entries of a run that exists and is not held by the lease's owner are left
    /// out, all of them, and the runs left out are returned.
    static func write(_ entries: [JournalEntry], lease: RunLease?, in db: Database) throws -> Set<String> {
        var refused: Set<String> = []
        if let lease {
            for id in Set(entries.map(\.runID)) {
                // A run not yet recorded is new, and is the writer's.
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT owner FROM run WHERE id = ?"), arguments: [id]) else { continue }
                if (row["owner"] as String?) != lease.owner.id { refused.insert(id) }
            }
        }
        for entry in entries where !refused.contains(entry.runID) { try write(entry, lease: lease, in: db) }
        return refused
    }

    /// Writes one entry; a run written under `lease` that it does not release is held under it.
    private static func write(_ entry: JournalEntry, lease: RunLease?, in db: Database) throws {
        switch entry {
        case .run(let run):
            let holder = run.status.releasesHolder ? nil : lease
            try db.cachedStatement(sql: upsertRun).execute(arguments: [
                run.id, run.workflowID, run.workflowName, run.version, run.status.rawValue, run.input.jsonText, run.trigger?.jsonText, run.output?.jsonText,
                run.error?.step, run.error?.code, run.error?.message, run.createdAt.milliseconds, run.endedAt?.milliseconds,
                run.wakeAt?.milliseconds, run.replayOf, holder?.owner.id, holder?.expiresAt.milliseconds, run.idempotencyKey,
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

    /// The lease a run row is held under, when it is held; a row fetched with `owner` and `leaseExpiresAt`.
    static func holder(_ row: Row) -> RunLease? {
        guard let owner: String = row["owner"] else { return nil }
        return RunLease(owner: RunOwner(id: owner), expiresAt: Date(milliseconds: (row["leaseExpiresAt"] as Int64?) ?? 0))
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

    private static func json(_ text: String?) -> JSONValue? { JournalText.json(text) }

    static func resolutionText(_ resolution: WaitResolution) -> String { JournalText.text(of: resolution) }

    private static func resolution(_ text: String) -> WaitResolution? { JournalText.resolution(text) }
}
