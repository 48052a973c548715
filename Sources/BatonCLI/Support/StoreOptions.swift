import ArgumentParser
import Foundation
import PostgresStore
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// `--db`: which database to use, a SQLite file or a PostgreSQL URL.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a SQLite file, or a PostgreSQL URL postgres://user:password@host:port/database that many processes share "
            + "(default: $BATON_DB, else $XDG_DATA_HOME/baton/baton.sqlite, else ~/.local/share/baton/baton.sqlite).",
        valueName: "path|url"))
    var db: String?

    /// The file path or URL to open.
    var target: String { db ?? WorkflowStore.defaultPath() }

    /// The database as shown to people: the file, or the URL without its password.
    var shown: String { isPostgres ? (try? PostgresLocation(url: target).description) ?? "a PostgreSQL database" : target }

    /// Whether the database is a PostgreSQL one.
    var isPostgres: Bool { PostgresLocation.isURL(target) }

    /// Opens the database. A SQLite file is made where there is none only by commands that save new workflows
    /// (`create`); a PostgreSQL database must exist, and its tables are made or upgraded on first use. The durability
    /// of `configuration` applies to both: `normal` lets PostgreSQL acknowledge commits before they reach its disk.
    func open(configuration: StoreConfiguration = StoreConfiguration(), create: Bool = false) async throws -> any WorkflowRepository {
        if isPostgres { return try await openPostgres(configuration: configuration) }
        let path = target
        do {
            return try WorkflowStore(path: path, configuration: configuration, create: create)
        } catch let error as StoreError {
            throw CommandError(error)
        } catch {
            throw CommandError(description: "cannot open the database \(path): \(error)")
        }
    }

    /// Opens a PostgreSQL database; `migrate: false` leaves its schema as it is (for `baton migrate`).
    func openPostgres(configuration: StoreConfiguration = StoreConfiguration(), migrate: Bool = true) async throws -> PostgresStore {
        do {
            return try await PostgresStore.open(
                PostgresLocation(url: target), migrate: migrate, synchronousCommit: configuration.synchronous == .full)
        } catch let error as StoreError {
            throw CommandError(error)
        }
    }
}

/// Runs a store or service call, turning their errors into command errors with the right exit code; a document's
/// diagnostics are printed first.
func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw commandError(error)
    }
}

/// `storeCall` for async calls: the repository's and the use cases'.
func serviceCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw commandError(error)
    }
}

private func commandError(_ error: any Error) -> any Error {
    switch error {
    case let error as StoreError:
        return CommandError(error)
    case let error as ServiceError:
        if !error.diagnostics.isEmpty { print(DiagnosticText.render(ValidationResult(diagnostics: error.diagnostics), file: "", outline: false)) }
        return CommandError(description: error.message, exitCode: error.code == .invalidDocument ? .invalidDocument : .refused)
    default:
        return error
    }
}

/// Prints an Encodable value as pretty JSON with sorted keys, for scripts.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
