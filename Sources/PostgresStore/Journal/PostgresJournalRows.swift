import Foundation
import PostgresNIO
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// How journal records map to rows of `run`, `run_step` and `run_wait`, and how a commit's entries are written:
/// each table in one statement, whatever the number of runs sharing the commit.
enum PostgresJournalRows {
    static let runColumns = """
        id, workflow_id, workflow_name, version, status, input, trigger, output, error_step, error_code, error_message, created_at,
        ended_at, wake_at, replay_of, cancel_requested, idempotency_key
        """

    /// Unfinished statuses, as SQL.
    static let unfinished = "('pending', 'running', 'compensating', 'waiting')"
    /// Statuses of a finished run, as SQL.
    static let finished = "(" + RunStatus.allCases.filter(\.isTerminal).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// Who holds a run, as the rows locked at the start of a commit say and as the commit's writes change it.
    struct Holder: Sendable {
        var owner: String?
        var expiresAt: Int64?
    }

    /// What a commit is asked to do: batches of entries under their leases.
    struct Batch: Sendable {
        var entries: [JournalEntry]
        var lease: RunLease?
    }

    /// Writes `batches` in the caller's transaction, in order. The runs they touch are locked first (in id order, so
    /// commits of several processes cannot deadlock on them), then each batch is fenced: under a lease, the entries of
    /// a run that exists and is not held by the lease's owner are left out, all of them. Returns, for each batch, the
    /// runs left out.
    static func write(_ batches: [Batch], on connection: PostgresConnection, logger: Logger) async throws -> [Set<String>] {
        let ids = Array(Set(batches.flatMap { $0.entries.map(\.runID) })).sorted()
        guard !ids.isEmpty else { return batches.map { _ in [] } }
        var holders: [String: Holder] = [:]
        for row in try await Postgres.rows(
            "SELECT id, owner, lease_expires_at FROM run WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE", on: connection, logger: logger)
        {
            holders[try row.value("id")] = Holder(owner: try row.value("owner"), expiresAt: try row.value("lease_expires_at"))
        }
        var refusals: [Set<String>] = []
        var runs: [String: (run: RunRecord, holder: Holder)] = [:]
        var runOrder: [String] = []
        var steps: [StepRecord] = []
        var waits: [String: WaitRecord] = [:]
        var waitOrder: [String] = []
        for batch in batches {
            var refused: Set<String> = []
            if let lease = batch.lease {
                for id in Set(batch.entries.map(\.runID)) {
                    // A run not yet recorded is new, and is the writer's.
                    if let holder = holders[id], holder.owner != lease.owner.id { refused.insert(id) }
                }
            }
            refusals.append(refused)
            for entry in batch.entries where !refused.contains(entry.runID) {
                switch entry {
                case .run(let run):
                    var holder = holders[run.id] ?? Holder()
                    if run.status.releasesHolder {
                        holder = Holder()
                    } else if let lease = batch.lease {
                        holder = Holder(owner: lease.owner.id, expiresAt: lease.expiresAt.milliseconds)
                    }
                    holders[run.id] = holder
                    if runs[run.id] == nil { runOrder.append(run.id) }
                    runs[run.id] = (run, holder)
                case .step(let step):
                    steps.append(step)
                case .wait(let wait):
                    let key = wait.runID + "\u{0}" + wait.key
                    if waits[key] == nil { waitOrder.append(key) }
                    waits[key] = wait
                }
            }
        }
        try await upsert(runOrder.compactMap { runs[$0] }, on: connection, logger: logger)
        try await insert(steps, on: connection, logger: logger)
        try await upsert(waitOrder.compactMap { waits[$0] }, on: connection, logger: logger)
        return refusals
    }

    /// Inserts or updates runs. A run's holder is the one the commit worked out; a finished run's cancellation
    /// request is cleared.
    private static func upsert(_ runs: [(run: RunRecord, holder: Holder)], on connection: PostgresConnection, logger: Logger) async throws {
        try await execute(runs, columns: 18, on: connection, logger: logger) { entry, b in
            let (run, holder) = entry
            bindStart(of: run, to: &b)
            b.append(run.output?.jsonText)
            b.append(run.error?.step)
            b.append(run.error?.code)
            b.append(run.error?.message)
            b.append(run.createdAt.milliseconds)
            b.append(run.endedAt?.milliseconds)
            b.append(run.wakeAt?.milliseconds)
            b.append(run.replayOf)
            b.append(holder.owner)
            b.append(holder.expiresAt)
            b.append(run.idempotencyKey)
        } statement: { values in
            """
            INSERT INTO run (id, workflow_id, workflow_name, version, status, input, trigger, output, error_step, error_code,
                error_message, created_at, ended_at, wake_at, replay_of, owner, lease_expires_at, idempotency_key)
            VALUES \(values)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, output = excluded.output, error_step = excluded.error_step,
                error_code = excluded.error_code, error_message = excluded.error_message, ended_at = excluded.ended_at,
                wake_at = excluded.wake_at, owner = excluded.owner, lease_expires_at = excluded.lease_expires_at,
                cancel_requested = CASE WHEN excluded.status IN \(finished) THEN false ELSE run.cancel_requested END
            """
        }
    }

    /// Binds the columns every insert of a run starts with: id, workflow_id, workflow_name, version, status, input
    /// and trigger.
    private static func bindStart(of run: RunRecord, to b: inout PostgresBindings) {
        b.append(run.id)
        b.append(run.workflowID)
        b.append(run.workflowName)
        b.append(Int64(run.version))
        b.append(run.status.rawValue)
        b.append(run.input.jsonText)
        b.append(run.trigger?.jsonText)
    }

    /// Inserts step outcomes; a second outcome for a key fails the statement (a unique violation).
    private static func insert(_ steps: [StepRecord], on connection: PostgresConnection, logger: Logger) async throws {
        try await execute(steps, columns: 15, on: connection, logger: logger) { step, b in
            b.append(step.runID)
            b.append(step.key)
            b.append(step.stepID)
            b.append(step.kind)
            b.append(step.status.rawValue)
            b.append(Int64(step.attempts))
            b.append(step.input?.jsonText)
            b.append(step.output?.jsonText)
            b.append(step.error?.step)
            b.append(step.error?.code)
            b.append(step.error?.message)
            b.append(step.startedAt.milliseconds)
            b.append(step.endedAt.milliseconds)
            b.append(Int64(step.sequence))
            b.append(step.compensates)
        } statement: { values in
            """
            INSERT INTO run_step (run_id, key, step_id, kind, status, attempts, input, output, error_step, error_code, error_message,
                started_at, ended_at, sequence, compensates)
            VALUES \(values)
            """
        }
    }

    private static func upsert(_ waits: [WaitRecord], on connection: PostgresConnection, logger: Logger) async throws {
        try await execute(waits, columns: 9, on: connection, logger: logger) { wait, b in
            b.append(wait.runID)
            b.append(wait.key)
            b.append(wait.stepID)
            b.append(wait.kind.rawValue)
            b.append(wait.token)
            b.append(wait.createdAt.milliseconds)
            b.append(wait.deadline?.milliseconds)
            b.append(wait.message)
            b.append(wait.resolution.map(JournalText.text(of:)))
        } statement: { values in
            """
            INSERT INTO run_wait (run_id, key, step_id, kind, token, created_at, deadline, message, resolution)
            VALUES \(values)
            ON CONFLICT (run_id, key) DO UPDATE SET deadline = excluded.deadline, resolution = excluded.resolution
            """
        }
    }

    /// Records new pending runs, except those whose idempotency key a run already has (in the database, or earlier
    /// in `runs`). Returns, for each, the run that holds its key (itself when it was recorded).
    static func enqueue(_ runs: [RunRecord], on connection: PostgresConnection, logger: Logger) async throws -> [RunRecord] {
        var firstWithKey: [String: Int] = [:]
        var fresh: [RunRecord] = []
        for (index, run) in runs.enumerated() {
            if let key = run.idempotencyKey {
                if firstWithKey[key] != nil { continue }
                firstWithKey[key] = index
            }
            fresh.append(run)
        }
        let rows = try await execute(fresh, columns: 9, on: connection, logger: logger) { run, b in
            bindStart(of: run, to: &b)
            b.append(run.createdAt.milliseconds)
            b.append(run.idempotencyKey)
        } statement: { values in
            """
            INSERT INTO run (id, workflow_id, workflow_name, version, status, input, trigger, created_at, idempotency_key)
            VALUES \(values) ON CONFLICT DO NOTHING RETURNING id
            """
        }
        let inserted = Set(try rows.map { try $0.value("id", as: String.self) })
        let taken = fresh.filter { !inserted.contains($0.id) }.compactMap(\.idempotencyKey)
        var holders: [String: RunRecord] = [:]
        if !taken.isEmpty {
            for row in try await Postgres.rows(
                "SELECT \(unescaped: runColumns) FROM run WHERE idempotency_key = ANY(\(taken))", on: connection, logger: logger)
            {
                let run = try Self.run(row)
                if let key = run.idempotencyKey { holders[key] = run }
            }
        }
        return runs.map { run in
            guard let key = run.idempotencyKey else { return run }
            if let holder = holders[key] { return holder }
            return runs[firstWithKey[key] ?? 0]
        }
    }

    // MARK: Reading rows

    static func run(_ row: PostgresRandomAccessRow) throws -> RunRecord {
        RunRecord(
            id: try row.value("id"), workflowID: try row.value("workflow_id"), workflowName: try row.value("workflow_name"),
            version: Int(try row.value("version", as: Int64.self)),
            status: RunStatus(rawValue: try row.value("status")) ?? .failed, input: JournalText.json(try row.value("input")) ?? .null,
            trigger: JournalText.json(try row.value("trigger")), output: JournalText.json(try row.value("output")),
            error: try error(row), createdAt: try row.date("created_at"), endedAt: try row.optionalDate("ended_at"),
            wakeAt: try row.optionalDate("wake_at"), replayOf: try row.value("replay_of"), cancelRequested: try row.value("cancel_requested"),
            idempotencyKey: try row.value("idempotency_key"))
    }

    /// The lease a run row is held under, when it is held; a row fetched with `owner` and `lease_expires_at`.
    static func holder(_ row: PostgresRandomAccessRow) throws -> RunLease? {
        guard let owner = try row.value("owner", as: String?.self) else { return nil }
        return RunLease(owner: RunOwner(id: owner), expiresAt: Date(milliseconds: try row.value("lease_expires_at", as: Int64?.self) ?? 0))
    }

    static func step(_ row: PostgresRandomAccessRow) throws -> StepRecord {
        StepRecord(
            runID: try row.value("run_id"), key: try row.value("key"), stepID: try row.value("step_id"), kind: try row.value("kind"),
            status: StepStatus(rawValue: try row.value("status")) ?? .failed, attempts: Int(try row.value("attempts", as: Int64.self)),
            input: JournalText.json(try row.value("input")), output: JournalText.json(try row.value("output")), error: try error(row),
            startedAt: try row.date("started_at"), endedAt: try row.date("ended_at"), sequence: Int(try row.value("sequence", as: Int64.self)),
            compensates: try row.value("compensates"))
    }

    static func wait(_ row: PostgresRandomAccessRow) throws -> WaitRecord {
        WaitRecord(
            runID: try row.value("run_id"), key: try row.value("key"), stepID: try row.value("step_id"),
            kind: Step.Wait.Kind(rawValue: try row.value("kind")) ?? .callback, token: try row.value("token"),
            createdAt: try row.date("created_at"), deadline: try row.optionalDate("deadline"), message: try row.value("message"),
            resolution: try row.value("resolution", as: String?.self).flatMap(JournalText.resolution))
    }

    private static func error(_ row: PostgresRandomAccessRow) throws -> RunError? {
        guard let code = try row.value("error_code", as: String?.self) else { return nil }
        return RunError(step: try row.value("error_step"), code: code, message: try row.value("error_message", as: String?.self) ?? "")
    }
}

extension PostgresJournalRows {
    /// Runs a multi-row statement over `items`, a thousand rows at a time (PostgreSQL takes at most 65,535
    /// parameters): `bind` appends one item's `columns` values, `statement` makes the SQL around the `VALUES` rows.
    /// Returns the rows the statements return.
    @discardableResult
    static func execute<Item>(
        _ items: [Item], columns: Int, on connection: PostgresConnection, logger: Logger,
        bind: (Item, inout PostgresBindings) -> Void, statement: (String) -> String
    ) async throws -> [PostgresRandomAccessRow] {
        var returned: [PostgresRandomAccessRow] = []
        for start in stride(from: 0, to: items.count, by: 1000) {
            let chunk = items[start..<min(start + 1000, items.count)]
            var bindings = PostgresBindings()
            var rows: [String] = []
            for item in chunk {
                let first = rows.count * columns + 1
                rows.append("(" + (first..<(first + columns)).map { "$\($0)" }.joined(separator: ", ") + ")")
                bind(item, &bindings)
            }
            let query = PostgresQuery(unsafeSQL: statement(rows.joined(separator: ", ")), binds: bindings)
            returned += try await Postgres.rows(query, on: connection, logger: logger)
        }
        return returned
    }
}
