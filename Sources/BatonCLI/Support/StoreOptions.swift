import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// `--db`: which database file to use.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database file (default: $BATON_DB, else $XDG_DATA_HOME/baton/baton.sqlite, else ~/.local/share/baton/baton.sqlite).",
        valueName: "path"))
    var db: String?

    /// Opens the database; only commands that save new workflows (`create`) make one where there is none.
    func open(configuration: StoreConfiguration = StoreConfiguration(), create: Bool = false) throws -> WorkflowStore {
        let path = db ?? WorkflowStore.defaultPath()
        do {
            return try WorkflowStore(path: path, configuration: configuration, create: create)
        } catch let error as StoreError {
            throw CommandError(error)
        } catch {
            throw CommandError(description: "cannot open the database \(path): \(error)")
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
