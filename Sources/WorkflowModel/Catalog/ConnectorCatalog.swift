/// The systems a workflow may call, each with the operations of its API.
public struct ConnectorCatalog: Sendable, Hashable {
    public private(set) var connectors: [Connector]
    private var byName: [String: Int]

    public init(_ connectors: [Connector] = []) {
        self.connectors = connectors.sorted { $0.name < $1.name }
        byName = Dictionary(self.connectors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> Connector? { byName[name].map { connectors[$0] } }
}

/// One system: where it is, how to authenticate, and its operations by operationId.
public struct Connector: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String?
    public var baseURL: String
    public var auth: ConnectorAuth
    public private(set) var operations: [ConnectorOperation]
    private var byId: [String: Int]

    public init(
        name: String, title: String, description: String? = nil, baseURL: String, auth: ConnectorAuth,
        operations: [ConnectorOperation]
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.baseURL = baseURL
        self.auth = auth
        self.operations = operations
        byId = Dictionary(operations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func operation(_ id: String) -> ConnectorOperation? { byId[id].map { operations[$0] } }
}

/// How calls to a connector authenticate. Secrets are named, never stored: the name is looked up in the
/// environment or a secrets file when a call is made.
public enum ConnectorAuth: Sendable, Hashable {
    case none
    case bearer(secret: String)
    case apiKey(header: String, secret: String)
    case basic(username: String, secret: String)

    public var secretName: String? {
        switch self {
        case .none: nil
        case .bearer(let s), .apiKey(_, let s), .basic(_, let s): s
        }
    }
}

/// One operation of a connector's API.
public struct ConnectorOperation: Sendable, Hashable {
    public var id: String
    public var method: String
    public var path: String
    public var summary: String?
    public var parameters: [OperationParameter]
    public var requestBody: RequestBodyShape?
    /// A compact description of the success response, such as `{items: [{id: string, name: string}], total: integer}`.
    public var responseShape: String?
    /// The documented example of the success response, when the API description has one.
    public var responseExample: JSONValue?

    public init(
        id: String, method: String, path: String, summary: String? = nil, parameters: [OperationParameter] = [],
        requestBody: RequestBodyShape? = nil, responseShape: String? = nil, responseExample: JSONValue? = nil
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.summary = summary
        self.parameters = parameters
        self.requestBody = requestBody
        self.responseShape = responseShape
        self.responseExample = responseExample
    }

    public func parameter(_ name: String) -> OperationParameter? { parameters.first { $0.name == name } }
}

public struct OperationParameter: Sendable, Hashable {
    public enum Location: String, Sendable, Hashable, CaseIterable { case path, query, header }
    public var name: String
    public var location: Location
    public var required: Bool
    public var type: ValueType
    public var allowedValues: [JSONValue]?

    public init(name: String, location: Location, required: Bool, type: ValueType, allowedValues: [JSONValue]? = nil) {
        self.name = name
        self.location = location
        self.required = required
        self.type = type
        self.allowedValues = allowedValues
    }
}

/// What a JSON request body must look like, as far as the validator checks it.
public struct RequestBodyShape: Sendable, Hashable {
    public var required: Bool
    public var requiredProperties: [String]
    /// A compact description of the body, such as `{name*: string, email*: string, phone: string}`.
    public var shape: String

    public init(required: Bool, requiredProperties: [String], shape: String) {
        self.required = required
        self.requiredProperties = requiredProperties
        self.shape = shape
    }
}
