import ArgumentParser

extension ExitCode {
    /// The document was read and has errors.
    static let invalidDocument = ExitCode(1)
    /// A file, folder or catalog could not be read.
    static let unreadableInput = ExitCode(2)
}

/// A problem that stops a command before it can do its work, shown as one clear line.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    var exitCode: ExitCode = .unreadableInput
}
