import Foundation
import Logging
import NIOCore
import PostgresNIO
import WorkflowEngine
import WorkflowRepository

/// The one owner of Baton's tables in a PostgreSQL database: workflows, their versions and lifecycle, compositions,
/// tokens, schedules and the run journal, shared by any number of `baton` processes on any number of machines.
///
/// Every public write is one transaction, so a refused or failed request changes nothing. Queries are async all the
/// way down (PostgresNIO), so no thread waits on the network. Open with `open(_:)`, and `close()` when done.
public final class PostgresStore: Sendable {
    public let location: PostgresLocation
    let pool: PostgresPool
    var client: PostgresClient { pool.client }
    let logger: Logger
    /// The clock that stamps `createdAt` and `updatedAt`.
    let now: @Sendable () -> Date
    /// Rings when another process (or this one) records work: a pending run, a completed wait, a cancellation.
    let bell: WorkBell
    /// The run journal; one per store, so that every writer of the process shares its commits.
    public let journal: PostgresRunJournal

    private init(location: PostgresLocation, synchronousCommit: Bool, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.location = location
        self.logger = logger
        self.now = now
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: Self.tls(location.tls))
        configuration.options.maximumConnections = location.maximumConnections
        configuration.options.additionalStartupParameters = [
            ("search_path", location.schema), ("application_name", "baton"), ("synchronous_commit", synchronousCommit ? "on" : "off"),
        ]
        let pool = PostgresPool(client: PostgresClient(configuration: configuration, backgroundLogger: logger))
        self.pool = pool
        let channel = "baton_work_\(location.schema)"
        bell = WorkBell(client: pool.client, channel: channel, logger: logger)
        journal = PostgresRunJournal(pool: pool, location: location, channel: channel, bell: bell, logger: logger)
    }

    /// Connects to the database and, unless `migrate` is false, brings its schema up to date (creating the schema
    /// itself when missing). Refused with `unsupportedSchema` when a newer Baton migrated it. Without
    /// `synchronousCommit`, PostgreSQL acknowledges a commit before its log reaches the disk: a crash of the database
    /// server may lose the last commits (never corrupt them), a crash of Baton loses nothing.
    public static func open(
        _ location: PostgresLocation, migrate: Bool = true, synchronousCommit: Bool = true,
        logger: Logger = Logger(label: "baton.postgres"), now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> PostgresStore {
        let store = PostgresStore(location: location, synchronousCommit: synchronousCommit, logger: logger, now: now)
        await store.pool.started()
        do {
            let version = try await store.reachable(within: location.connectTimeout)
            if version > PostgresSchema.latest {
                throw StoreError(
                    .unsupportedSchema,
                    "the database \(location) was migrated by a newer version of baton (schema \(version)); use that version")
            }
            if migrate, version < PostgresSchema.latest { _ = try await store.migrate() }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Stops the connections once what is queued is committed. Without it, they stop when the store and its
    /// journal are no longer used.
    public func close() async {
        try? await journal.flush()
        bell.stop()
        await pool.shutdown()
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// The schema version. When it has not come within `limit`, a connection is made directly: if that fails too, so
    /// does the open, with its reason (the pool would retry without end); if it is made, the server is only slow and
    /// the read is waited for.
    private func reachable(within limit: Duration) async throws -> Int {
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { try await self.schemaVersion() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            if let version = try await group.next() ?? nil { return version }
            // Slow is not unreachable: a server that accepts a connection made directly is waited for.
            if let reason = await whyNoConnection() {
                throw StoreError(.cannotOpen, "cannot open the database \(location) within \(limit): \(reason)")
            }
            while let next = try await group.next() { if let version = next { return version } }
            throw CancellationError()
        }
    }

    /// Why no connection can be made, as one connection made directly finds: the server's refusal (a wrong password,
    /// no such database) or the network's (connection refused); `nil` when that connection is made.
    private func whyNoConnection() async -> String? {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            return "TLS cannot be set up: \(error)"
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return error.underlying.map { "\($0)" } ?? "\(error.code)"
        } catch {
            return "\(error)"
        }
    }

    /// The current time to the millisecond, as stored.
    func timestamp() -> Int64 { now().milliseconds }

    /// Runs `body` on a pooled connection; errors come out as `StoreError`.
    func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Postgres.translating(location) { try await client.withConnection(body) }
    }

    /// Runs `body` in one transaction, rolled back on any error; tried again when PostgreSQL ends it to break a
    /// deadlock or a serialization conflict. Errors come out as `StoreError`, refusals as thrown.
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await Postgres.translating(location) {
            try await client.withConnection { connection in try await Postgres.transaction(on: connection, logger: logger, body) }
        }
    }
}

/// The connection pool and the task that runs it, which ends when neither the store nor its journal is left.
final class PostgresPool: Sendable {
    let client: PostgresClient

    private let running: Task<Void, Never>
    /// Ends when `running` has begun.
    private let begun: AsyncStream<Void>

    init(client: PostgresClient) {
        self.client = client
        let (begun, signal) = AsyncStream<Void>.makeStream()
        self.begun = begun
        running = Task {
            signal.finish()
            await client.run()
        }
    }

    /// Returns once the task running the pool has begun, so that the first query finds it running.
    func started() async {
        for await _ in begun {}
        await Task.yield()
    }

    func shutdown() async {
        running.cancel()
        await running.value
    }

    deinit { running.cancel() }
}

/// Helpers shared by the store and the journal.
enum Postgres {
    /// Transactions ended by PostgreSQL to break a deadlock or a serialization conflict are tried this many times.
    static let attempts = 5

    static func transaction<T: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                guard attempt < attempts, let state = sqlState(error), ["40001", "40P01"].contains(state) else { throw error }
                attempt += 1
            }
        }
    }

    /// Runs `body`, turning PostgreSQL's failures into `StoreError`; refusals (`StoreError`, `JournalError`) and
    /// cancellation pass as they are.
    static func translating<T>(_ location: PostgresLocation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as JournalError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw storeError(error, location: location)
        }
    }

    static func storeError(_ error: any Error, location: PostgresLocation) -> StoreError {
        guard let error = error as? PSQLError else { return StoreError(.database, "PostgreSQL at \(location): \(error)") }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState] ?? ""
            if state.hasPrefix("28") || state == "3D000" {
                return StoreError(.cannotOpen, "cannot open the database \(location): \(message)")
            }
            return StoreError(.database, "PostgreSQL at \(location): \(message) (\(state))")
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
            return StoreError(.cannotOpen, "cannot reach the database \(location): \(error.underlying.map { "\($0)" } ?? "\(error.code)")")
        default:
            return StoreError(.database, "PostgreSQL at \(location): \(error.code)")
        }
    }

    /// The SQLSTATE of a server error, such as `23505` for a unique violation.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The rows of a query, for random access by column name.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }
}

extension PostgresRandomAccessRow {
    /// The value of a column, decoded.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    /// A time column (milliseconds since 1970), decoded.
    func date(_ column: String) throws -> Date { Date(milliseconds: try value(column, as: Int64.self)) }

    func optionalDate(_ column: String) throws -> Date? { try value(column, as: Int64?.self).map(Date.init(milliseconds:)) }
}
