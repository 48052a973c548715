import Foundation
import WorkflowRepository

/// Where a PostgreSQL database is, read from a URL such as `postgres://baton:secret@db.internal:5432/baton`.
///
/// Query items: `sslmode` (`disable`, `prefer` — the default — or `require`), `schema` (the schema that holds Baton's
/// tables, created when missing; default `public`), `pool` (the most connections this process opens, default 20) and
/// `connect_timeout` (seconds opening waits for the server, default 10).
/// The password is a secret: `description` never shows it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String
    public var maximumConnections: Int
    /// How long opening waits for the server to accept a connection.
    public var connectTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String, password: String? = nil, database: String,
        tls: TLSMode = .prefer, schema: String = "public", maximumConnections: Int = 20, connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.schema = schema
        self.maximumConnections = maximumConnections
        self.connectTimeout = connectTimeout
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a `postgres://` or `postgresql://` URL; refused with `invalidArgument` when it is not one.
    public init(url text: String) throws(StoreError) {
        guard Self.isURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw StoreError(.invalidArgument, "\(Self.redacted(text)) is not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let items = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let database = String(url.path.drop { $0 == "/" })
        let user = url.user?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        guard let tls = TLSMode(rawValue: items["sslmode"] ?? "prefer") else {
            throw StoreError(.invalidArgument, "sslmode must be disable, prefer or require, not \(items["sslmode"] ?? "")")
        }
        let schema = items["schema"] ?? "public"
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
            throw StoreError(.invalidArgument, "the schema name \(schema) may hold letters, digits and underscores only")
        }
        guard let pool = Int(items["pool"] ?? "20"), pool >= 2 else {
            throw StoreError(.invalidArgument, "pool must be a number of connections, at least 2")
        }
        guard let timeout = Double(items["connect_timeout"] ?? "10"), timeout > 0 else {
            throw StoreError(.invalidArgument, "connect_timeout must be a number of seconds")
        }
        self.init(
            host: host, port: url.port ?? 5432, username: user, password: url.password?.removingPercentEncoding,
            database: database.isEmpty ? user : database, tls: tls, schema: schema, maximumConnections: pool,
            connectTimeout: .milliseconds(Int64(timeout * 1000)))
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (schema == "public" ? "" : "?schema=\(schema)")
    }

    /// `text` with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
