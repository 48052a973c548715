import Foundation
import PostgresNIO
import WorkflowRepository

extension PostgresStore {
    /// The schema version the database is at: 0 for one Baton has not written yet.
    public func schemaVersion() async throws -> Int {
        try await withConnection { connection in
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: Self.quoted(self.location.schema))", logger: self.logger)
            try await connection.query("\(unescaped: PostgresSchema.bookkeeping)", logger: self.logger)
            let rows = try await Postgres.rows("SELECT coalesce(max(version), 0) AS version FROM baton_migration", on: connection, logger: self.logger)
            return Int(try rows.first?.value("version", as: Int64.self) ?? 0)
        }
    }

    /// The version the code knows, which `migrate()` brings a database to.
    public static var latestSchemaVersion: Int { PostgresSchema.latest }

    /// Applies the migrations the database lacks, in one transaction, and returns their versions. Processes migrating
    /// at once wait for each other (an advisory lock), so each migration is applied once.
    @discardableResult
    public func migrate() async throws -> [Int] {
        _ = try await schemaVersion()
        return try await transaction { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.baton_migration'))", logger: self.logger)
            let rows = try await Postgres.rows("SELECT coalesce(max(version), 0) AS version FROM baton_migration", on: connection, logger: self.logger)
            let current = Int(try rows.first?.value("version", as: Int64.self) ?? 0)
            guard current <= PostgresSchema.latest else {
                throw StoreError(.unsupportedSchema, "the database \(self.location) was migrated by a newer version of baton (schema \(current))")
            }
            var applied: [Int] = []
            for (index, statements) in PostgresSchema.migrations.enumerated() where index + 1 > current {
                for statement in statements { try await connection.query("\(unescaped: statement)", logger: self.logger) }
                let version = Int64(index + 1)
                try await connection.query(
                    "INSERT INTO baton_migration (version, applied_at) VALUES (\(version), \(self.timestamp()))", logger: self.logger)
                applied.append(index + 1)
            }
            return applied
        }
    }

    /// Drops the store's schema with everything in it, for benchmarks and tests that made one of their own; the
    /// `public` schema is refused.
    public func dropSchema() async throws {
        guard location.schema != "public" else { throw StoreError(.invalidArgument, "the public schema is never dropped") }
        try await journal.flush()
        _ = try await withConnection { connection in
            try await connection.query("DROP SCHEMA \(unescaped: Self.quoted(self.location.schema)) CASCADE", logger: self.logger)
        }
    }

    /// An identifier quoted for SQL; the location only allows letters, digits and underscores in it anyway.
    static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
