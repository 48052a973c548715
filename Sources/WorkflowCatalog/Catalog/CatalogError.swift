import WorkflowModel

/// Why a connector catalog could not be loaded: the file at fault and what is wrong with it.
///
///     fixtures/connectors/crm.connector.yaml: auth type "oauth" is not one of bearer, apiKey, basic, none
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for tests and tools to match on rather than the wording.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case directoryNotFound, unreadableFile, invalidSyntax, invalidRegistration, invalidName, invalidAuth
            case invalidBaseURL, missingOpenAPI, invalidOpenAPI, duplicateConnector, duplicateOperation
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The catalog folder does not exist or is not a folder.
        public static let directoryNotFound = Code(.directoryNotFound)
        /// A file could not be read, or is not UTF-8 text.
        public static let unreadableFile = Code(.unreadableFile)
        /// A registration file is not valid YAML or JSON.
        public static let invalidSyntax = Code(.invalidSyntax)
        /// A registration misses a field or has one of the wrong type.
        public static let invalidRegistration = Code(.invalidRegistration)
        /// A connector name is not lower-case letters, digits, `_` and `-`.
        public static let invalidName = Code(.invalidName)
        /// The auth type is unknown, or a field it needs is missing.
        public static let invalidAuth = Code(.invalidAuth)
        /// The base URL is not an http or https URL.
        public static let invalidBaseURL = Code(.invalidBaseURL)
        /// The OpenAPI document a registration names does not exist.
        public static let missingOpenAPI = Code(.missingOpenAPI)
        /// The OpenAPI document cannot be read as OpenAPI 3.0 or 3.1.
        public static let invalidOpenAPI = Code(.invalidOpenAPI)
        /// Two registrations use the same connector name.
        public static let duplicateConnector = Code(.duplicateConnector)
        /// Two operations of one connector share an operationId.
        public static let duplicateOperation = Code(.duplicateOperation)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The file at fault, relative to the current directory when it is inside it.
    public let file: String
    public let message: String
    /// Where in the file, when known.
    public let location: SourceLocation?

    public init(_ code: Code, file: String, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.file = file
        self.message = message
        self.location = location
    }

    public var description: String { "\(file): \(message)" }
}

/// Something worth telling about a catalog that does not stop it loading, such as an operation left out.
public struct CatalogWarning: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
