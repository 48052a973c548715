import Foundation
internal import GRDB
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// The engine's journal in the store's SQLite file. Durable writes share commits (see `GroupCommitWriter`); reads
/// first commit this process's queued entries, so they see everything written so far. SQLite's failures come out as
/// `StoreError` (a damaged or read-only file named as such), journal refusals as `JournalError`.
public final class SQLiteRunJournal: RunJournal {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter
    private let path: String
    private let busyTimeout: Duration

    init(pool: DatabasePool, path: String, busyTimeout: Duration) {
        self.pool = pool
        self.path = path
        self.busyTimeout = busyTimeout
        writer = GroupCommitWriter(pool: pool)
    }

    /// Runs `body`, turning SQLite's errors into `StoreError`.
    private func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as JournalError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw StoreError(sqlite: error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// How many transactions the journal has committed.
    public var commits: Int { writer.commits }

    public func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws {
        try await translating { try await writer.write(entries, durable: durable, lease: lease) }
    }

    public func flush() async throws { try await translating { try await writer.flush() } }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await translating {
            try await writer.flush()
            return try await pool.read(body)
        }
    }

    /// Commits the queued entries, then runs `body` in a transaction of its own.
    private func update<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await translating {
            try await writer.flush()
            return try await pool.write(body)
        }
    }

    public func run(_ id: String) async throws -> RunRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(JournalRows.runColumns) FROM run WHERE id = ?", arguments: [id]).map(JournalRows.run)
        }
    }

    public func steps(of runID: String) async throws -> [StepRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runStep WHERE runId = ? ORDER BY sequence", arguments: [runID]).map(JournalRows.step)
        }
    }

    public func waits(of runID: String) async throws -> [WaitRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runWait WHERE runId = ? ORDER BY createdAt", arguments: [runID]).map(JournalRows.wait)
        }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let workflow = query.workflowID {
            conditions.append("workflowId = ?")
            arguments += [workflow]
        }
        if let statuses = query.statuses {
            conditions.append("status IN (\(statuses.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        if let now = query.resumableAt {
            // Held runs of other machines come only once their lease has expired; those of this one are looked at
            // below, as their owner may have died.
            conditions.append("""
                status IN ('pending', 'running', 'compensating', 'waiting') AND (status != 'waiting' OR wakeAt <= ? OR cancelRequested
                OR EXISTS (SELECT 1 FROM runWait w WHERE w.runId = run.id AND w.resolution IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM runStep s WHERE s.runId = w.runId AND s.key = w.key)))
                AND (owner IS NULL OR coalesce(leaseExpiresAt, 0) <= ? OR owner LIKE ?)
                """)
            arguments += [now.milliseconds, now.milliseconds, RunOwner.host + ":%"]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT \(JournalRows.runColumns), owner, leaseExpiresAt FROM run \(whereClause) ORDER BY createdAt DESC, rowid DESC"
        let (now, limit) = (query.resumableAt, query.limit)
        // Rows are skipped below only for resumable runs; otherwise SQLite may stop at the limit.
        if now == nil {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        let (statement, statementArguments) = (sql, arguments)
        return try await read { db in
            var found: [RunRecord] = []
            let rows = try Row.fetchCursor(db, sql: statement, arguments: statementArguments)
            while found.count < limit, let row = try rows.next() {
                if let now, JournalRows.holder(row)?.holds(at: now) == true { continue }
                found.append(JournalRows.run(row))
            }
            return found
        }
    }

    public func enqueue(_ run: RunRecord) async throws -> RunRecord {
        try await translating { try await writer.enqueue(run) }
    }

    public func claim(_ runID: String, lease: RunLease, at now: Date) async throws -> Bool {
        try await update { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, owner, leaseExpiresAt FROM run WHERE id = ?", arguments: [runID]),
                RunStatus(rawValue: row["status"])?.isTerminal == false, lease.mayTake(from: JournalRows.holder(row), at: now)
            else { return false }
            try db.execute(
                sql: "UPDATE run SET owner = ?, leaseExpiresAt = ? WHERE id = ?", arguments: [lease.owner.id, lease.expiresAt.milliseconds, runID])
            return true
        }
    }

    public func renewLeases(_ runIDs: [String], lease: RunLease) async throws -> Set<String> {
        guard !runIDs.isEmpty else { return [] }
        return try await update { db in
            let renew = try db.cachedStatement(sql: "UPDATE run SET leaseExpiresAt = ? WHERE id = ? AND owner = ?")
            var lost: Set<String> = []
            for id in runIDs {
                try renew.execute(arguments: [lease.expiresAt.milliseconds, id, lease.owner.id])
                if db.changesCount == 0 { lost.insert(id) }
            }
            return lost
        }
    }

    public func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord {
        try await update { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [runID]) else {
                throw JournalError.runNotFound(runID)
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runWait WHERE runId = ? AND token = ?", arguments: [runID, token]) else {
                throw JournalError.tokenNotFound(run: runID)
            }
            var wait = JournalRows.wait(row)
            let consumed = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM runStep WHERE runId = ? AND key = ?)", arguments: [runID, wait.key]) ?? false
            guard wait.resolution == nil, !consumed else { throw JournalError.tokenUsed(run: runID, step: wait.stepID) }
            if let status = RunStatus(rawValue: status), status.isTerminal { throw JournalError.runFinished(runID, status) }
            wait.resolution = resolution
            try db.execute(
                sql: "UPDATE runWait SET resolution = ? WHERE runId = ? AND key = ?",
                arguments: [JournalRows.resolutionText(resolution), runID, wait.key])
            return wait
        }
    }

    public func requestCancel(_ runID: String) async throws -> RunRecord {
        try await update { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(JournalRows.runColumns) FROM run WHERE id = ?", arguments: [runID]) else {
                throw JournalError.runNotFound(runID)
            }
            var run = JournalRows.run(row)
            guard !run.status.isTerminal else { throw JournalError.runFinished(runID, run.status) }
            try db.execute(sql: "UPDATE run SET cancelRequested = 1 WHERE id = ?", arguments: [runID])
            run.cancelRequested = true
            return run
        }
    }
}

extension WorkflowStore: WorkflowSource {
    /// The journal of runs in this database.
    public func runJournal() -> SQLiteRunJournal {
        SQLiteRunJournal(pool: pool, path: path, busyTimeout: configuration.busyTimeout)
    }

    /// Reads a version without blocking a thread of the caller: runs resume many at once.
    public func definition(workflowID: Int64, version: Int) async throws -> WorkflowDefinition {
        let text: String?
        do {
            text = try await pool.read { db in
                try String.fetchOne(
                    db, sql: "SELECT definition FROM workflowVersion WHERE workflowId = ? AND number = ?", arguments: [workflowID, version])
            }
        } catch {
            throw translate(error)
        }
        return try RepositoryRules.definition(text, workflowID: workflowID, version: version)
    }
}
