import ArgumentParser
import WorkflowRepository
import WorkflowStore

extension ExitCode {
    /// The document has errors, or a composition was rejected.
    static let invalidDocument = ExitCode(1)
    /// A file, folder, catalog or the database could not be read.
    static let unreadableInput = ExitCode(2)
    /// The language model could not be reached or did not answer properly.
    static let modelFailure = ExitCode(3)
    /// No such workflow or version, or a lifecycle change that is not allowed.
    static let refused = ExitCode(4)
    /// A run ended without completing: failed, compensated or cancelled.
    static let runNotCompleted = ExitCode(5)
}

/// A problem that stops a command before it can do its work, shown as one clear line.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    var exitCode: ExitCode = .unreadableInput

    init(description: String, exitCode: ExitCode = .unreadableInput) {
        self.description = description
        self.exitCode = exitCode
    }

    init(_ error: StoreError) {
        description = error.description
        switch error.code {
        case .notFound, .ambiguous, .archived, .invalidTransition, .invalidArgument: exitCode = .refused
        default: exitCode = .unreadableInput
        }
    }
}
