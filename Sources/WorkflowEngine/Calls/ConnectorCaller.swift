import Foundation
import WorkflowModel

/// An HTTP request to a connector, built from a call step.
public struct ConnectorRequest: Sendable {
    public var connector: String
    public var operation: String
    /// The key of the step instance making the call; also the basis of its `Idempotency-Key`.
    public var stepKey: String
    public var method: String
    public var url: URL
    /// Headers including authentication; never recorded.
    public var headers: [(String, String)]
    public var body: JSONValue?
    /// Seconds the whole exchange may take, from connecting to the last byte of the response.
    public var timeout: TimeInterval
    /// Responses longer than this fail the call; callers stop reading once it is passed.
    public var maxResponseBytes: Int
    /// Which redirects the caller may follow (the connector's registration decides).
    public var redirects: RedirectPolicy
    /// Whether the operation documents a JSON response, so that a body that is not JSON fails the call.
    public var respondsWithJSON: Bool

    public init(
        connector: String, operation: String, stepKey: String, method: String, url: URL, headers: [(String, String)] = [],
        body: JSONValue? = nil, timeout: TimeInterval, maxResponseBytes: Int, redirects: RedirectPolicy = .never,
        respondsWithJSON: Bool = false
    ) {
        self.connector = connector
        self.operation = operation
        self.stepKey = stepKey
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.redirects = redirects
        self.respondsWithJSON = respondsWithJSON
    }
}

/// A connector's answer.
public struct ConnectorResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as JSON when it is JSON, as a string otherwise, and `null` when empty.
    public var value: JSONValue {
        if body.isEmpty { return .null }
        var parser = JSONParser(bytes: Array(body))
        if let json = try? parser.parseDocument() { return json }
        return .string(String(decoding: body, as: UTF8.self))
    }

    /// Whether the Content-Type header says JSON: `application/json` or a `+json` type.
    public var isLabelledJSON: Bool {
        guard let field = headers["content-type"], let type = field.split(separator: ";").first else { return false }
        let mediaType = type.trimmingCharacters(in: .whitespaces).lowercased()
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    /// The output of a successful call: `value`, except that a body labelled as JSON, or answering an operation
    /// documented as JSON, must parse as JSON; an HTML error page served with status 200 is not a success.
    public func output(documentedAsJSON: Bool) throws(StepFailure) -> JSONValue {
        guard !body.isEmpty, isLabelledJSON || documentedAsJSON else { return value }
        var parser = JSONParser(bytes: Array(body))
        if let json = try? parser.parseDocument() { return json }
        let type = headers["content-type"].map { "\($0) " } ?? ""
        let reason = isLabelledJSON ? "is labelled JSON" : "answers an operation documented as JSON"
        let excerpt = String(decoding: body.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        throw StepFailure(
            code: "response.invalid-json",
            message: "the \(type)body of the \(status) response \(reason) but is not JSON: \(excerpt)", transient: false)
    }
}

/// Sends connector requests: over HTTP for real runs, from examples for dry runs, doing nothing in benchmarks.
public protocol ConnectorCaller: Sendable {
    /// Returns the response whatever its status, except redirects it may not follow; throws `StepFailure` for
    /// network errors, timeouts, refused redirects and responses over the size limit.
    func send(_ request: ConnectorRequest) async throws -> ConnectorResponse
}
