import Foundation
internal import GRDB
import WorkflowRepository

/// The one owner of Baton's database: workflows, their immutable versions, their lifecycle, and every composition.
///
/// One SQLite file in WAL mode. Every public write is one transaction, so a failed or refused request changes
/// nothing; a write that finds the file locked by another `baton` process waits up to the busy timeout. Instances are
/// safe to share between tasks, and several instances (or processes) may use the same file at once.
public final class WorkflowStore: Sendable {
    /// The database file, as given.
    public let path: String
    let pool: DatabasePool
    let configuration: StoreConfiguration
    /// Checkpoints the write-ahead log off the commit path, when configured.
    private let checkpointer: BackgroundCheckpointer?
    /// The clock that stamps `createdAt` and `updatedAt`.
    let now: @Sendable () -> Date

    /// Opens the database at `path` and migrates it to this schema. With `create`, a missing file is created with its
    /// parent folders; without, a missing file is an error and nothing is written to the disk.
    public init(
        path: String, configuration: StoreConfiguration = StoreConfiguration(), create: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.path = path
        self.configuration = configuration
        self.now = now
        guard create || FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.missing, "there is no database at \(path): nothing has been saved there yet (compose, import or demo create it)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                .cannotOpen, "cannot create the folder \(folder.path) for the database: \(error.localizedDescription)")
        }
        var options = Configuration()
        options.label = "WorkflowStore"
        options.busyMode = .timeout(configuration.busyTimeout.seconds)
        options.readonly = configuration.readOnly
        do {
            pool = try Self.openPool(path: path, options: options, patience: configuration.busyTimeout)
            // The pool sets `synchronous = NORMAL` on its writer once `prepareDatabase` has run, so ours comes after.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(configuration.synchronous.rawValue)")
                if configuration.checkpointsInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
        } catch let error as DatabaseError where Self.isFileProblem(error) {
            throw StoreError(sqlite: error, path: path, busyTimeout: configuration.busyTimeout)
        } catch {
            throw StoreError(.cannotOpen, "cannot open the database \(path): \(Self.reason(error))")
        }
        checkpointer = configuration.checkpointsInBackground && !configuration.readOnly
            ? try BackgroundCheckpointer(path: path, busyTimeout: configuration.busyTimeout) : nil
        try migrate()
    }

    /// Opens the pool, trying again while another process holds the lock that switching a new file to WAL needs
    /// (SQLite reports that as "database is locked" without waiting on the busy timeout).
    private static func openPool(path: String, options: Configuration, patience: Duration) throws -> DatabasePool {
        let deadline = ContinuousClock.now + patience
        var delay = Duration.milliseconds(10)
        while true {
            do {
                return try DatabasePool(path: path, configuration: options)
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                guard ContinuousClock.now + delay < deadline else { throw error }
                Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
                delay = min(delay * 2, .milliseconds(200))
            }
        }
    }

    /// Where the database lives unless told otherwise: `$BATON_DB`; else `$XDG_DATA_HOME/baton/baton.sqlite`;
    /// else `$HOME/.local/share/baton/baton.sqlite`. Empty values, and a relative `XDG_DATA_HOME`, are ignored.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["BATON_DB"], !path.isEmpty { return path }
        let data: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            data = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            data = (home as NSString).appendingPathComponent(".local/share")
        }
        return (data as NSString).appendingPathComponent("baton/baton.sqlite")
    }

    /// SQLite's own check of the file: `"ok"`, or the problems it found, one a line.
    public func integrityCheck() throws -> String {
        try readNow { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// Applies the migrations this file lacks, refusing a file migrated by a newer Baton.
    private func migrate() throws {
        let migrator = StoreSchema.migrator
        let (superseded, complete) = try readNow { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
        if superseded {
            throw StoreError(
                .unsupportedSchema,
                "the database \(path) was written by a newer version of baton; use that version to open it")
        }
        // An up-to-date file needs no write to open, so a read-only one opens too.
        if complete { return }
        // Processes opening a new file at once can both see a migration as missing; the later one to apply it
        // fails. Trying again finds it applied. Each retry follows another process's progress, so a real failure
        // stops after one try per migration.
        var retries = migrator.migrations.count
        while true {
            do {
                return try migrator.migrate(pool)
            } catch where retries > 0 {
                retries -= 1
            } catch let error as DatabaseError where Self.isFileProblem(error) {
                throw StoreError(sqlite: error, path: path, busyTimeout: configuration.busyTimeout)
            } catch {
                throw StoreError(.cannotOpen, "cannot migrate the database \(path): \(Self.reason(error))")
            }
        }
    }
}

extension WorkflowStore {
    /// Reads from a snapshot of the database without blocking a thread of the caller; errors come out as
    /// `StoreError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw translate(error)
        }
    }

    /// Runs `body` in one immediate transaction, rolled back on any error, without blocking a thread of the caller;
    /// errors come out as `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw translate(error)
        }
    }

    /// `read` on the caller's thread, for opening the file and for tools that run outside any task.
    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw translate(error)
        }
    }

    /// `write` on the caller's thread, for generating test and benchmark data.
    func writeNow<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch {
            throw translate(error)
        }
    }

    /// The current time to the millisecond, as stored.
    func timestamp() -> Int64 { now().milliseconds }

    func translate(_ error: any Error) -> StoreError {
        StoreError(sqlite: error, path: path, busyTimeout: configuration.busyTimeout)
    }

    /// Whether SQLite's error is about the file itself: damaged, not a database, or not writable.
    static func isFileProblem(_ error: DatabaseError) -> Bool {
        [.SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_READONLY].contains(error.resultCode)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}

extension Duration {
    /// The duration in seconds, as SQLite's busy timeout takes it.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension WorkflowStore {
    /// A PRAGMA's value as the writing connection has it (`synchronous` is set per connection), as text.
    func pragma(_ name: String) throws -> String? {
        try pool.writeWithoutTransaction { db in
            switch try DatabaseValue.fetchOne(db, sql: "PRAGMA \(name)")?.storage {
            case .int64(let value): "\(value)"
            case .string(let value): value
            default: nil
            }
        }
    }
}
