import Foundation
import Logging
import PostgresNIO
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// The engine's journal in PostgreSQL, shared by every process using the database. Durable writes share commits
/// (see `PostgresCommitQueue`); reads first commit this process's queued entries, so they see everything written so
/// far. Runs are claimed with `FOR UPDATE SKIP LOCKED`: a claimer never waits behind another, it moves on.
/// PostgreSQL's failures come out as `StoreError`, journal refusals as `JournalError`.
public final class PostgresRunJournal: RunJournal {
    private let pool: PostgresPool
    private var client: PostgresClient { pool.client }
    private let location: PostgresLocation
    private let channel: String
    let bell: WorkBell
    private let logger: Logger
    private let queue: PostgresCommitQueue

    init(pool: PostgresPool, location: PostgresLocation, channel: String, bell: WorkBell, logger: Logger) {
        self.pool = pool
        self.location = location
        self.channel = channel
        self.bell = bell
        self.logger = logger
        queue = PostgresCommitQueue(client: pool.client, location: location, channel: channel, logger: logger)
    }

    /// How many transactions the journal has committed for writes.
    public var commits: Int { queue.commits }

    public func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws {
        try await Postgres.translating(location) { try await queue.write(entries, durable: durable, lease: lease) }
    }

    public func flush() async throws { try await Postgres.translating(location) { try await queue.flush() } }

    public func enqueue(_ run: RunRecord) async throws -> RunRecord {
        try await Postgres.translating(location) { try await queue.enqueue(run) }
    }

    /// Commits the queued entries, then runs `body` on a connection.
    private func read<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Postgres.translating(location) {
            try await queue.flush()
            return try await client.withConnection(body)
        }
    }

    /// Commits the queued entries, then runs `body` in a transaction of its own.
    private func update<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Postgres.translating(location) {
            try await queue.flush()
            return try await client.withConnection { connection in
                try await Postgres.transaction(on: connection, logger: logger, body)
            }
        }
    }

    private func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        try await Postgres.rows(query, on: connection, logger: logger)
    }

    public func run(_ id: String) async throws -> RunRecord? {
        try await read { connection in
            try await self.rows("SELECT \(unescaped: PostgresJournalRows.runColumns) FROM run WHERE id = \(id)", on: connection)
                .first.map(PostgresJournalRows.run)
        }
    }

    public func steps(of runID: String) async throws -> [StepRecord] {
        try await read { connection in
            try await self.rows("SELECT * FROM run_step WHERE run_id = \(runID) ORDER BY sequence", on: connection).map(PostgresJournalRows.step)
        }
    }

    public func waits(of runID: String) async throws -> [WaitRecord] {
        try await read { connection in
            try await self.rows("SELECT * FROM run_wait WHERE run_id = \(runID) ORDER BY created_at", on: connection).map(PostgresJournalRows.wait)
        }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        if let workflow = query.workflowID { conditions.append("workflow_id = \(bind(workflow))") }
        if let statuses = query.statuses { conditions.append("status = ANY(\(bind(statuses.map(\.rawValue))))") }
        if let now = query.resumableAt {
            let time = bind(now.milliseconds)
            // Held runs of other machines come only once their lease has expired; those of this one are looked at
            // below, as their owner may have died.
            conditions.append("""
                status IN \(PostgresJournalRows.unfinished) AND (status != 'waiting' OR wake_at <= \(time) OR cancel_requested
                OR EXISTS (SELECT 1 FROM run_wait w WHERE w.run_id = run.id AND w.resolution IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM run_step s WHERE s.run_id = w.run_id AND s.key = w.key)))
                AND (owner IS NULL OR coalesce(lease_expires_at, 0) <= \(time) OR owner LIKE \(bind(RunOwner.host + ":%")))
                """)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT \(PostgresJournalRows.runColumns), owner, lease_expires_at FROM run \(filter) ORDER BY created_at DESC, seq DESC"
        let (now, limit) = (query.resumableAt, query.limit)
        // Rows are skipped below only for resumable runs; otherwise PostgreSQL may stop at the limit.
        if now == nil { sql += " LIMIT \(bind(Int64(limit)))" }
        let statement = PostgresQuery(unsafeSQL: sql, binds: bindings)
        return try await read { connection in
            var found: [RunRecord] = []
            for row in try await self.rows(statement, on: connection) where found.count < limit {
                if let now, try PostgresJournalRows.holder(row)?.holds(at: now) == true { continue }
                found.append(try PostgresJournalRows.run(row))
            }
            return found
        }
    }

    public func claim(_ runID: String, lease: RunLease, at now: Date) async throws -> Bool {
        try await update { connection in
            // A run another transaction is writing or claiming is skipped, not waited for: it is taken by then.
            guard let row = try await self.rows(
                "SELECT status, owner, lease_expires_at FROM run WHERE id = \(runID) FOR UPDATE SKIP LOCKED", on: connection
            ).first, RunStatus(rawValue: try row.value("status"))?.isTerminal == false,
                lease.mayTake(from: try PostgresJournalRows.holder(row), at: now)
            else { return false }
            try await connection.query(
                "UPDATE run SET owner = \(lease.owner.id), lease_expires_at = \(lease.expiresAt.milliseconds) WHERE id = \(runID)",
                logger: self.logger)
            return true
        }
    }

    public func renewLeases(_ runIDs: [String], lease: RunLease) async throws -> Set<String> {
        guard !runIDs.isEmpty else { return [] }
        let renewed = try await update { connection in
            // Locked in id order, as commits lock them, so the two cannot deadlock.
            try await self.rows(
                """
                UPDATE run SET lease_expires_at = \(lease.expiresAt.milliseconds) WHERE id IN (
                    SELECT id FROM run WHERE id = ANY(\(runIDs)) AND owner = \(lease.owner.id) ORDER BY id FOR UPDATE)
                RETURNING id
                """, on: connection
            ).map { try $0.value("id", as: String.self) }
        }
        return Set(runIDs).subtracting(renewed)
    }

    public func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord {
        try await update { connection in
            guard let run = try await self.rows("SELECT status FROM run WHERE id = \(runID) FOR UPDATE", on: connection).first else {
                throw JournalError.runNotFound(runID)
            }
            guard let row = try await self.rows(
                "SELECT * FROM run_wait WHERE run_id = \(runID) AND token = \(token)", on: connection
            ).first else { throw JournalError.tokenNotFound(run: runID) }
            var wait = try PostgresJournalRows.wait(row)
            let consumed = try await !self.rows(
                "SELECT 1 FROM run_step WHERE run_id = \(runID) AND key = \(wait.key)", on: connection
            ).isEmpty
            guard wait.resolution == nil, !consumed else { throw JournalError.tokenUsed(run: runID, step: wait.stepID) }
            if let status = RunStatus(rawValue: try run.value("status")), status.isTerminal { throw JournalError.runFinished(runID, status) }
            wait.resolution = resolution
            try await connection.query(
                "UPDATE run_wait SET resolution = \(JournalText.text(of: resolution)) WHERE run_id = \(runID) AND key = \(wait.key)",
                logger: self.logger)
            try await connection.query("SELECT pg_notify(\(self.channel), '')", logger: self.logger)
            return wait
        }
    }

    public func requestCancel(_ runID: String) async throws -> RunRecord {
        try await update { connection in
            guard let row = try await self.rows(
                "SELECT \(unescaped: PostgresJournalRows.runColumns) FROM run WHERE id = \(runID) FOR UPDATE", on: connection
            ).first else { throw JournalError.runNotFound(runID) }
            var run = try PostgresJournalRows.run(row)
            guard !run.status.isTerminal else { throw JournalError.runFinished(runID, run.status) }
            try await connection.query("UPDATE run SET cancel_requested = true WHERE id = \(runID)", logger: self.logger)
            try await connection.query("SELECT pg_notify(\(self.channel), '')", logger: self.logger)
            run.cancelRequested = true
            return run
        }
    }
}
