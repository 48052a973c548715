import Foundation
import PostgresStore
import Testing
import WorkflowRepository

/// How a `postgres://` URL is read: its parts, its query items and their defaults, its refusals, and a description
/// that never shows the password.
struct PostgresLocationTests {
    @Test func aFullURLIsReadPartByPart() throws {
        let location = try PostgresLocation(
            url: "postgresql://baton:s%40cret@db.internal:6543/work?sslmode=require&schema=team_a&pool=8&connect_timeout=2.5")
        #expect(location.host == "db.internal" && location.port == 6543)
        #expect(location.username == "baton" && location.password == "s@cret")
        #expect(location.database == "work" && location.schema == "team_a")
        #expect(location.tls == .require && location.maximumConnections == 8)
        #expect(location.connectTimeout == .milliseconds(2500))
    }

    @Test func itemsLeftOutTakeTheirDefaults() throws {
        let location = try PostgresLocation(url: "postgres://ops@127.0.0.1/")
        #expect(location.port == 5432 && location.database == "ops", "the database defaults to the user's name")
        #expect(location.tls == .prefer && location.schema == "public" && location.maximumConnections == 20)
        #expect(location.connectTimeout == .seconds(10))
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let location = try PostgresLocation(url: "postgres://baton:hunter2@db:5432/baton?schema=s1")
        #expect(location.description == "postgres://baton@db:5432/baton?schema=s1")
        #expect(!"\(location)".contains("hunter2"))
    }

    @Test(arguments: [
        "baton.sqlite", "http://db/baton", "postgres:///baton", "postgres://db/b?sslmode=always", "postgres://db/b?schema=a;drop",
        "postgres://db/b?pool=1", "postgres://db/b?connect_timeout=0",
    ])
    func whatIsNotAUsableURLIsRefused(_ text: String) {
        #expect(throws: StoreError.self) { try PostgresLocation(url: text) }
    }

    @Test func aRefusalQuotesTheURLWithoutItsPassword() {
        do {
            _ = try PostgresLocation(url: "postgres://baton:hunter2@:5432/b")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
    }
}
