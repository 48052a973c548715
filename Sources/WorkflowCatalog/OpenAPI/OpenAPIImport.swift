import Foundation
import WorkflowModel

/// Reads an OpenAPI 3.0 or 3.1 document, JSON or YAML, into the operations a connector offers.
///
///     let result = try OpenAPIImport.operations(from: data)
///     result.operations.first?.id  // "searchCustomers"
public enum OpenAPIImport {
    /// The operations of a document in document order, and notes about what was left out (such as operations
    /// without an operationId, which workflows cannot name).
    public struct Result: Sendable, Hashable {
        public var operations: [ConnectorOperation]
        public var warnings: [String]

        public init(operations: [ConnectorOperation], warnings: [String] = []) {
            self.operations = operations
            self.warnings = warnings
        }
    }

    /// Reads the document in `data`: JSON when it starts with `{`, YAML otherwise.
    public static func operations(from data: Data) throws(OpenAPIImportError) -> Result {
        let raw = try parse(data)
        let document = try decode(raw)
        var reader = OperationReader(document: document, raw: RawDocument(root: raw))
        return try reader.read()
    }
}

/// Why an OpenAPI document could not be read.
public struct OpenAPIImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Where in the text the problem is, for syntax errors.
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
