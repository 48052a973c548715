import Foundation

/// The PostgreSQL server the PostgreSQL cases of the suites run against: `$BATON_TEST_POSTGRES_URL` (CI starts a
/// private one). Without it, those cases are skipped, and each suite says so in one skipped test.
public enum TestPostgres {
    /// The server's URL, when one is configured.
    public static let url: String? = {
        let value = ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    public static var isConfigured: Bool { url != nil }

    /// Why the PostgreSQL cases are skipped, for `.enabled(if:_:)` as a `Comment`.
    public static let skipNote = "BATON_TEST_POSTGRES_URL is not set: the PostgreSQL cases are skipped"

    /// The URL of a schema of its own on the server, new and empty, so that tests stay independent; `pool` caps
    /// its connections.
    public static func freshSchemaURL(pool: Int = 4) -> String? {
        guard let url else { return nil }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&pool=\(pool)"
    }
}
