internal import GRDB
import WorkflowRepository

/// The database schema, as migrations applied in order.
///
/// A migration is never edited once it has shipped: a file migrated by it must keep meaning what it meant. Change the
/// schema by registering a new migration ("v2", …) after the last. Each one is plain SQL, frozen as written, and uses
/// no record type, since those change with the code.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2") { db in try db.execute(sql: v2) }
        migrator.registerMigration("v3") { db in try db.execute(sql: v3) }
        migrator.registerMigration("v4") { db in try db.execute(sql: v4) }
        migrator.registerMigration("v5") { db in try db.execute(sql: v5) }
        migrator.registerMigration("v6") { db in try db.execute(sql: v6) }
        return migrator
    }

    /// Workflows, their versions, and the composition history. Times are milliseconds since 1970, UTC. A trigger
    /// keeps versions immutable. `composition.workflowId` is no foreign key: history is kept whatever becomes of the
    /// workflow, and `workflowVersion.compositionId` none either, as a version may be saved before its record.
    static let v1 = """
        CREATE TABLE workflow (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            description TEXT,
            state TEXT NOT NULL,
            latestVersion INTEGER NOT NULL,
            activeVersion INTEGER,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL
        );
        CREATE INDEX workflow_on_updatedAt ON workflow(updatedAt);
        CREATE INDEX workflow_on_state_updatedAt ON workflow(state, updatedAt);
        CREATE INDEX workflow_on_name ON workflow(name);

        CREATE TABLE workflowVersion (
            workflowId INTEGER NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            definition TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            source TEXT NOT NULL,
            compositionId TEXT,
            createdAt INTEGER NOT NULL,
            PRIMARY KEY (workflowId, number)
        );
        CREATE TRIGGER workflowVersion_immutable BEFORE UPDATE ON workflowVersion
        BEGIN
            SELECT RAISE(ABORT, 'workflow versions are immutable');
        END;

        CREATE TABLE composition (
            id TEXT PRIMARY KEY NOT NULL,
            workflowId INTEGER,
            kind TEXT NOT NULL,
            request TEXT NOT NULL,
            outcome TEXT NOT NULL,
            startedAt INTEGER NOT NULL,
            durationMs INTEGER NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX composition_on_workflowId ON composition(workflowId);
        CREATE INDEX composition_on_startedAt ON composition(startedAt);
        """

    /// Runs and their journal: one row per run, one per recorded step outcome (never two for a key), one per wait.
    /// JSON values are stored as text. `owner` is the process id running the run, `NULL` when none is.
    static let v2 = """
        CREATE TABLE run (
            id TEXT PRIMARY KEY NOT NULL,
            workflowId INTEGER NOT NULL,
            workflowName TEXT NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            trigger TEXT,
            output TEXT,
            errorStep TEXT,
            errorCode TEXT,
            errorMessage TEXT,
            createdAt INTEGER NOT NULL,
            endedAt INTEGER,
            wakeAt INTEGER,
            replayOf TEXT,
            cancelRequested INTEGER NOT NULL DEFAULT 0,
            owner INTEGER
        );
        CREATE INDEX run_on_status_wakeAt ON run(status, wakeAt);
        CREATE INDEX run_on_workflowId_createdAt ON run(workflowId, createdAt);
        CREATE INDEX run_on_createdAt ON run(createdAt);

        CREATE TABLE runStep (
            runId TEXT NOT NULL,
            key TEXT NOT NULL,
            stepId TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            errorStep TEXT,
            errorCode TEXT,
            errorMessage TEXT,
            startedAt INTEGER NOT NULL,
            endedAt INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            compensates TEXT,
            PRIMARY KEY (runId, key)
        ) WITHOUT ROWID;

        CREATE TABLE runWait (
            runId TEXT NOT NULL,
            key TEXT NOT NULL,
            stepId TEXT NOT NULL,
            kind TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            createdAt INTEGER NOT NULL,
            deadline INTEGER,
            message TEXT,
            resolution TEXT,
            PRIMARY KEY (runId, key)
        ) WITHOUT ROWID;
        """

    /// A run may carry an idempotency key (a webhook delivery, an event, a client's retry): at most one run has each.
    static let v3 = """
        ALTER TABLE run ADD COLUMN idempotencyKey TEXT;
        CREATE UNIQUE INDEX run_on_idempotencyKey ON run(idempotencyKey) WHERE idempotencyKey IS NOT NULL;
        """

    /// API tokens, by the SHA-256 of their text: the text itself is shown once and never stored. A name is held by
    /// one token until that token is revoked.
    static let v4 = """
        CREATE TABLE apiToken (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            createdAt INTEGER NOT NULL,
            revokedAt INTEGER,
            lastUsedAt INTEGER
        );
        CREATE UNIQUE INDEX apiToken_on_live_name ON apiToken(name) WHERE revokedAt IS NULL;
        """

    /// Where each scheduled workflow's live version stands: since when it is live, the last fire time dealt with,
    /// a fire time held back by `overlap: buffer`, and the next fire time (for listing). Times in milliseconds.
    static let v5 = """
        CREATE TABLE schedule (
            workflowId INTEGER PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            activatedAt INTEGER NOT NULL,
            lastFireAt INTEGER,
            bufferedAt INTEGER,
            nextFireAt INTEGER
        );
        """

    /// Runs are held under leases instead of by process id: `owner` becomes the text id of the engine holding the
    /// run (`host:pid:random`), with `leaseExpiresAt` (milliseconds) when its hold ends unless renewed; both are `NULL`
    /// when nobody holds it. SQLite cannot change a column's type, so the table is rebuilt, keeping every row and its
    /// rowid (the tiebreak of run lists) and the indexes; `run_on_status_wakeAt` keeps finding the unfinished runs
    /// that resumable-run queries start from. Runs held by a process id are released, as whether that process lives
    /// cannot be told here: workers of an older Baton are stopped before the upgrade.
    static let v6 = """
        CREATE TABLE run_v6 (
            id TEXT PRIMARY KEY NOT NULL,
            workflowId INTEGER NOT NULL,
            workflowName TEXT NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            trigger TEXT,
            output TEXT,
            errorStep TEXT,
            errorCode TEXT,
            errorMessage TEXT,
            createdAt INTEGER NOT NULL,
            endedAt INTEGER,
            wakeAt INTEGER,
            replayOf TEXT,
            cancelRequested INTEGER NOT NULL DEFAULT 0,
            idempotencyKey TEXT,
            owner TEXT,
            leaseExpiresAt INTEGER
        );
        INSERT INTO run_v6 (rowid, id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode,
            errorMessage, createdAt, endedAt, wakeAt, replayOf, cancelRequested, idempotencyKey)
        SELECT rowid, id, workflowId, workflowName, version, status, input, trigger, output, errorStep, errorCode,
            errorMessage, createdAt, endedAt, wakeAt, replayOf, cancelRequested, idempotencyKey
        FROM run;
        DROP TABLE run;
        ALTER TABLE run_v6 RENAME TO run;
        CREATE INDEX run_on_status_wakeAt ON run(status, wakeAt);
        CREATE INDEX run_on_workflowId_createdAt ON run(workflowId, createdAt);
        CREATE INDEX run_on_createdAt ON run(createdAt);
        CREATE UNIQUE INDEX run_on_idempotencyKey ON run(idempotencyKey) WHERE idempotencyKey IS NOT NULL;
        """
}
