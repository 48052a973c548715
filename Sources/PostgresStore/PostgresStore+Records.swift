import Foundation
import PostgresNIO
import WorkflowModel
import WorkflowRepository

// Compositions, API tokens, schedule states and run counts.
extension PostgresStore {
    public func recordComposition(_ record: CompositionRecord) async throws {
        try await transaction { connection in try await self.upsert(record, on: connection) }
    }

    public func compositions(workflowID: Int64) async throws -> [CompositionRecord] {
        try await withConnection { connection in
            try await Postgres.rows(
                "SELECT id, record FROM composition WHERE workflow_id = \(workflowID) ORDER BY started_at, seq", on: connection,
                logger: self.logger
            ).map(Self.composition)
        }
    }

    public func composition(id: String) async throws -> CompositionRecord {
        try await withConnection { connection in
            guard let row = try await Postgres.rows("SELECT id, record FROM composition WHERE id = \(id)", on: connection, logger: self.logger).first
            else { throw StoreError.noComposition(id) }
            return try Self.composition(row)
        }
    }

    public func recentCompositions(limit: Int) async throws -> [CompositionRecord] {
        try RepositoryRules.checkLimit(limit)
        return try await withConnection { connection in
            try await Postgres.rows(
                "SELECT id, record FROM composition ORDER BY started_at DESC, seq DESC LIMIT \(Int64(limit))", on: connection, logger: self.logger
            ).map(Self.composition)
        }
    }

    /// Inserts a composition record, or replaces the one with its id (which keeps its place in lists).
    func upsert(_ record: CompositionRecord, on connection: PostgresConnection) async throws {
        // Dates keep Foundation's default encoding, which reads back to the identical `Date`.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO composition (id, workflow_id, kind, request, outcome, started_at, duration_ms, record)
            VALUES (\(record.id), \(record.workflowID), \(record.kind.rawValue), \(record.request), \(record.outcome.rawValue),
                \(record.startedAt.milliseconds), \(Int64(record.durationMs)), \(json))
            ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, kind = excluded.kind, request = excluded.request,
                outcome = excluded.outcome, started_at = excluded.started_at, duration_ms = excluded.duration_ms, record = excluded.record
            """, logger: logger)
    }

    private static func composition(_ row: PostgresRandomAccessRow) throws -> CompositionRecord {
        let id = try row.value("id", as: String.self)
        do {
            return try JSONDecoder().decode(CompositionRecord.self, from: Data(try row.value("record", as: String.self).utf8))
        } catch {
            throw StoreError(.corrupt, "composition \(id) cannot be read back: \(error)")
        }
    }

    // MARK: API tokens

    public func addToken(name: String, hash: String) async throws -> APIToken {
        try await transaction { connection in
            // The lock makes two processes adding one name at once take turns.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('baton.token.' || \(name)))", logger: self.logger)
            let live = try await Postgres.rows(
                "SELECT 1 FROM api_token WHERE name = \(name) AND revoked_at IS NULL", on: connection, logger: self.logger)
            if !live.isEmpty { throw StoreError.tokenExists(name) }
            let time = self.timestamp()
            try await connection.query(
                "INSERT INTO api_token (name, hash, created_at) VALUES (\(name), \(hash), \(time))", logger: self.logger)
            return APIToken(name: name, createdAt: Date(milliseconds: time))
        }
    }

    /// The live token with this hash, noting when it was used to the minute; `nil` for an unknown or revoked one.
    public func useToken(hash: String) async throws -> APIToken? {
        let time = timestamp()
        return try await withConnection { connection in
            let live = try await Postgres.rows(
                "SELECT * FROM api_token WHERE hash = \(hash) AND revoked_at IS NULL", on: connection, logger: self.logger)
            guard let found = try live.first.map(Self.token) else { return nil }
            guard RepositoryRules.notesUse(lastUsed: found.lastUsedAt?.milliseconds, now: time) else { return found }
            return try await Postgres.rows(
                "UPDATE api_token SET last_used_at = \(time) WHERE hash = \(hash) AND revoked_at IS NULL RETURNING *",
                on: connection, logger: self.logger
            ).first.map(Self.token)
        }
    }

    @discardableResult
    public func revokeToken(name: String) async throws -> APIToken {
        let time = timestamp()
        return try await withConnection { connection in
            guard let row = try await Postgres.rows(
                "UPDATE api_token SET revoked_at = \(time) WHERE name = \(name) AND revoked_at IS NULL RETURNING *",
                on: connection, logger: self.logger
            ).first else { throw StoreError.noLiveToken(name) }
            return try Self.token(row)
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await withConnection { connection in
            try await Postgres.rows("SELECT * FROM api_token ORDER BY id", on: connection, logger: self.logger).map(Self.token)
        }
    }

    private static func token(_ row: PostgresRandomAccessRow) throws -> APIToken {
        APIToken(
            name: try row.value("name"), createdAt: try row.date("created_at"), revokedAt: try row.optionalDate("revoked_at"),
            lastUsedAt: try row.optionalDate("last_used_at"))
    }

    // MARK: Schedules

    public func scheduleStates() async throws -> [Int64: ScheduleState] {
        try await withConnection { connection in
            let rows = try await Postgres.rows("SELECT * FROM schedule", on: connection, logger: self.logger)
            var states: [Int64: ScheduleState] = [:]
            for row in rows {
                let state = ScheduleState(
                    workflowID: try row.value("workflow_id"), version: Int(try row.value("version", as: Int64.self)),
                    activatedAt: try row.date("activated_at"), lastFire: try row.optionalDate("last_fire_at"),
                    buffered: try row.optionalDate("buffered_at"), nextFire: try row.optionalDate("next_fire_at"))
                states[state.workflowID] = state
            }
            return states
        }
    }

    public func saveSchedules(_ states: [ScheduleState]) async throws {
        guard !states.isEmpty else { return }
        try await transaction { connection in
            for state in states {
                try await connection.query(
                    """
                    INSERT INTO schedule (workflow_id, version, activated_at, last_fire_at, buffered_at, next_fire_at)
                    VALUES (\(state.workflowID), \(Int64(state.version)), \(state.activatedAt.milliseconds), \(state.lastFire?.milliseconds),
                        \(state.buffered?.milliseconds), \(state.nextFire?.milliseconds))
                    ON CONFLICT (workflow_id) DO UPDATE SET version = excluded.version, activated_at = excluded.activated_at,
                        last_fire_at = excluded.last_fire_at, buffered_at = excluded.buffered_at, next_fire_at = excluded.next_fire_at
                    """, logger: self.logger)
            }
        }
    }

    // MARK: Runs

    public func runJournal() -> PostgresRunJournal { journal }

    public func runCounts() async throws -> [String: Int] {
        try await journal.flush()
        return try await withConnection { connection in
            var counts: [String: Int] = [:]
            for row in try await Postgres.rows("SELECT status, count(*) AS n FROM run GROUP BY status", on: connection, logger: self.logger) {
                counts[try row.value("status", as: String.self)] = Int(try row.value("n", as: Int64.self))
            }
            return counts
        }
    }

    public func runID(waitToken token: String) async throws -> String? {
        try await journal.flush()
        return try await withConnection { connection in
            try await Postgres.rows("SELECT run_id FROM run_wait WHERE token = \(token) LIMIT 1", on: connection, logger: self.logger)
                .first?.value("run_id", as: String.self)
        }
    }
}
