import WorkflowModel

/// Why a text is not YAML, and where when the YAML library says.
public struct YAMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?

    public init(message: String, location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String {
        guard let location else { return message }
        return "line \(location.line), column \(location.column): \(message)"
    }
}
