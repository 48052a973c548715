/// The systems a workflow may call, each with the operations of its API.
public struct ConnectorCatalog: Sendable, Hashable, Codable {
    public private(set) var connectors: [Connector]
    private var byName: [String: Int]

    public init(_ connectors: [Connector] = []) {
        self.connectors = connectors.sorted { $0.name < $1.name }
        byName = Dictionary(self.connectors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> Connector? { byName[name].map { connectors[$0] } }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Connector].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(connectors)
    }
}

/// One system: where it is, how to authenticate, and its operations by operationId.
public struct Connector: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    public var description: String?
    public var baseURL: String
    public var auth: ConnectorAuth
    /// Which redirects calls follow; none unless the registration says otherwise.
    public var redirects: RedirectPolicy
    public private(set) var operations: [ConnectorOperation]
    private var byId: [String: Int]

    public init(
        name: String, title: String, description: String? = nil, baseURL: String, auth: ConnectorAuth,
        redirects: RedirectPolicy = .never, operations: [ConnectorOperation]
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.baseURL = baseURL
        self.auth = auth
        self.redirects = redirects
        self.operations = operations
        byId = Dictionary(operations.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func operation(_ id: String) -> ConnectorOperation? { byId[id].map { operations[$0] } }

    private enum CodingKeys: String, CodingKey { case name, title, description, baseURL, auth, redirects, operations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), title: try c.decode(String.self, forKey: .title),
            description: try c.decodeIfPresent(String.self, forKey: .description), baseURL: try c.decode(String.self, forKey: .baseURL),
            auth: try c.decode(ConnectorAuth.self, forKey: .auth),
            redirects: try c.decodeIfPresent(RedirectPolicy.self, forKey: .redirects) ?? .never,
            operations: try c.decode([ConnectorOperation].self, forKey: .operations))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(auth, forKey: .auth)
        if redirects != .never { try c.encode(redirects, forKey: .redirects) }
        try c.encode(operations, forKey: .operations)
    }
}

/// Which HTTP redirects a connector's calls follow. Credentials must never reach another host, so the most a
/// registration can allow is a redirect to the same scheme, host and port.
public enum RedirectPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// A 3xx answer fails the call.
    case never = "none"
    /// Redirects to the same scheme, host and port are followed; any other fails the call.
    case sameHost = "same-host"
}

/// How calls to a connector authenticate. Secrets are named, never stored: the name is looked up in the
/// environment or a secrets file when a call is made.
public enum ConnectorAuth: Sendable, Hashable, Codable {
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
public struct ConnectorOperation: Sendable, Hashable, Codable {
    public var id: String
    public var method: String
    public var path: String
    public var summary: String?
    /// The API description's longer text about the operation, for finding operations by what they do.
    public var description: String?
    /// The API description's tags (e.g. `orders`), for finding operations by topic.
    public var tags: [String]
    public var parameters: [OperationParameter]
    public var requestBody: RequestBodyShape?
    /// A compact description of the success response, such as `{items: [{id: string, name: string}], total: integer}`.
    public var responseShape: String?
    /// The documented example of the success response, when the API description has one.
    public var responseExample: JSONValue?
    /// Whether the success response is documented as JSON, so that a body that is not JSON is an error.
    public var respondsWithJSON: Bool

    public init(
        id: String, method: String, path: String, summary: String? = nil, description: String? = nil, tags: [String] = [],
        parameters: [OperationParameter] = [], requestBody: RequestBodyShape? = nil, responseShape: String? = nil,
        responseExample: JSONValue? = nil, respondsWithJSON: Bool = false
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.summary = summary
        self.description = description
        self.tags = tags
        self.parameters = parameters
        self.requestBody = requestBody
        self.responseShape = responseShape
        self.responseExample = responseExample
        self.respondsWithJSON = respondsWithJSON
    }

    public func parameter(_ name: String) -> OperationParameter? { parameters.first { $0.name == name } }

    private enum CodingKeys: String, CodingKey {
        case id, method, path, summary, description, tags, parameters, requestBody, responseShape, responseExample, respondsWithJSON
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        method = try c.decode(String.self, forKey: .method)
        path = try c.decode(String.self, forKey: .path)
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        parameters = try c.decode([OperationParameter].self, forKey: .parameters)
        requestBody = try c.decodeIfPresent(RequestBodyShape.self, forKey: .requestBody)
        responseShape = try c.decodeIfPresent(String.self, forKey: .responseShape)
        // The example is kept as JSON text, so its members keep their order.
        responseExample = try c.decodeIfPresent(String.self, forKey: .responseExample).flatMap { try? JSONParser.parse($0) }
        respondsWithJSON = try c.decodeIfPresent(Bool.self, forKey: .respondsWithJSON) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(method, forKey: .method)
        try c.encode(path, forKey: .path)
        try c.encodeIfPresent(summary, forKey: .summary)
        try c.encodeIfPresent(description, forKey: .description)
        if !tags.isEmpty { try c.encode(tags, forKey: .tags) }
        try c.encode(parameters, forKey: .parameters)
        try c.encodeIfPresent(requestBody, forKey: .requestBody)
        try c.encodeIfPresent(responseShape, forKey: .responseShape)
        try c.encodeIfPresent(responseExample?.jsonText, forKey: .responseExample)
        if respondsWithJSON { try c.encode(respondsWithJSON, forKey: .respondsWithJSON) }
    }
}

public struct OperationParameter: Sendable, Hashable, Codable {
    public enum Location: String, Sendable, Hashable, CaseIterable, Codable { case path, query, header }
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
public struct RequestBodyShape: Sendable, Hashable, Codable {
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

extension ConnectorCatalog {
    /// The catalog with each connector's base URL replaced by `url(connector)`, where that gives one.
    public func rebased(_ url: (Connector) -> String?) -> ConnectorCatalog {
        ConnectorCatalog(connectors.map { connector in
            var copy = connector
            if let replacement = url(connector) { copy.baseURL = replacement }
            return copy
        })
    }
}
