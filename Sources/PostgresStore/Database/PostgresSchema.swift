/// The PostgreSQL schema, as migrations applied in order.
///
/// A migration is never edited once it has shipped: a database migrated by it must keep meaning what it meant.
/// Change the schema by appending a new migration after the last. Each is a list of plain SQL statements, frozen as
/// written. Times are milliseconds since 1970, UTC, as in the SQLite store; JSON values are stored as text, byte
/// for byte as written.
enum PostgresSchema {
    /// The migrations, version 1 first.
    static let migrations: [[String]] = [v1]

    /// The version a fully migrated database is at.
    static var latest: Int { migrations.count }

    /// Which migrations a database has had.
    static let bookkeeping = "CREATE TABLE IF NOT EXISTS baton_migration (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"

    /// Everything the SQLite store has after its sixth migration, in one step. `seq` columns keep the order rows
    /// were written in, the tiebreak of lists. A run is held by `owner` (`host:pid:random`) until `lease_expires_at`,
    /// both `NULL` when nobody holds it.
    static let v1 = [
        """
        CREATE TABLE workflow (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT,
            state TEXT NOT NULL,
            latest_version BIGINT NOT NULL,
            active_version BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX workflow_on_updated_at ON workflow (updated_at, id)",
        "CREATE INDEX workflow_on_state_updated_at ON workflow (state, updated_at, id)",
        "CREATE INDEX workflow_on_name ON workflow (name)",
        """
        CREATE TABLE workflow_version (
            workflow_id BIGINT NOT NULL REFERENCES workflow (id) ON DELETE CASCADE,
            number BIGINT NOT NULL CHECK (number >= 1),
            definition TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            source TEXT NOT NULL,
            composition_id TEXT,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (workflow_id, number)
        )
        """,
        """
        CREATE FUNCTION workflow_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'workflow versions are immutable';
        END
        $$
        """,
        """
        CREATE TRIGGER workflow_version_immutable BEFORE UPDATE ON workflow_version
            FOR EACH ROW EXECUTE FUNCTION workflow_version_immutable()
        """,
        """
        CREATE TABLE composition (
            seq BIGSERIAL NOT NULL,
            id TEXT PRIMARY KEY,
            workflow_id BIGINT,
            kind TEXT NOT NULL,
            request TEXT NOT NULL,
            outcome TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            duration_ms BIGINT NOT NULL,
            record TEXT NOT NULL
        )
        """,
        "CREATE INDEX composition_on_workflow_id ON composition (workflow_id)",
        "CREATE INDEX composition_on_started_at ON composition (started_at, seq)",
        """
        CREATE TABLE run (
            seq BIGSERIAL NOT NULL,
            id TEXT PRIMARY KEY,
            workflow_id BIGINT NOT NULL,
            workflow_name TEXT NOT NULL,
            version BIGINT NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            trigger TEXT,
            output TEXT,
            error_step TEXT,
            error_code TEXT,
            error_message TEXT,
            created_at BIGINT NOT NULL,
            ended_at BIGINT,
            wake_at BIGINT,
            replay_of TEXT,
            cancel_requested BOOLEAN NOT NULL DEFAULT false,
            idempotency_key TEXT,
            owner TEXT,
            lease_expires_at BIGINT
        )
        """,
        "CREATE UNIQUE INDEX run_on_idempotency_key ON run (idempotency_key) WHERE idempotency_key IS NOT NULL",
        "CREATE INDEX run_on_created_at ON run (created_at, seq)",
        "CREATE INDEX run_on_workflow_id_created_at ON run (workflow_id, created_at, seq)",
        """
        CREATE INDEX run_unfinished ON run (created_at, seq)
            WHERE status IN ('pending', 'running', 'compensating', 'waiting')
        """,
        """
        CREATE TABLE run_step (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            step_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts BIGINT NOT NULL,
            input TEXT,
            output TEXT,
            error_step TEXT,
            error_code TEXT,
            error_message TEXT,
            started_at BIGINT NOT NULL,
            ended_at BIGINT NOT NULL,
            sequence BIGINT NOT NULL,
            compensates TEXT,
            PRIMARY KEY (run_id, key)
        )
        """,
        """
        CREATE TABLE run_wait (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            step_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            deadline BIGINT,
            message TEXT,
            resolution TEXT,
            PRIMARY KEY (run_id, key)
        )
        """,
        """
        CREATE TABLE api_token (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT,
            last_used_at BIGINT
        )
        """,
        "CREATE UNIQUE INDEX api_token_on_live_name ON api_token (name) WHERE revoked_at IS NULL",
        """
        CREATE TABLE schedule (
            workflow_id BIGINT PRIMARY KEY,
            version BIGINT NOT NULL,
            activated_at BIGINT NOT NULL,
            last_fire_at BIGINT,
            buffered_at BIGINT,
            next_fire_at BIGINT
        )
        """,
    ]
}
