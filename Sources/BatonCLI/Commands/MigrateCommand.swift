import ArgumentParser
import Foundation
import PostgresStore
import WorkflowRepository

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database's schema up to date, and say which version it is at.",
        discussion: """
            Every baton command upgrades the schema it opens when it needs to; migrate does it on its own, as a step of \
            a deployment, before processes of the new version start. Migrations are applied once, in one transaction, \
            even when several processes migrate at once. A database migrated by a newer baton is refused.
            Examples:
              baton migrate --db postgres://baton@db.internal/baton
              BATON_DB=postgres://baton@127.0.0.1:5432/baton baton migrate
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard store.isPostgres else {
            // Opening a SQLite file migrates it.
            _ = try await store.open(create: true)
            print("\(store.target): schema up to date")
            return
        }
        let database = try await store.openPostgres(migrate: false)
        let before = try await serviceCall { try await database.schemaVersion() }
        let applied = try await serviceCall { try await database.migrate() }
        await database.close()
        let latest = PostgresStore.latestSchemaVersion
        if applied.isEmpty {
            print("\(database.location): schema at version \(before), up to date")
        } else {
            print("\(database.location): schema migrated from version \(before) to \(latest) (applied \(applied.map(String.init).joined(separator: ", ")))")
        }
    }
}
