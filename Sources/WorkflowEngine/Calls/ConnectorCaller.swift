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
    public var timeout: TimeInterval
    /// Responses longer than this fail the call.
    public var maxResponseBytes: Int
}

/// A connector's answer.
public struct ConnectorResponse: Sendable {
    public var status: Int
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
}

/// Sends connector requests: over HTTP for real runs, from examples for dry runs, doing nothing in benchmarks.
public protocol ConnectorCaller: Sendable {
    /// Returns the response whatever its status; throws `StepFailure` for network errors and timeouts.
    func send(_ request: ConnectorRequest) async throws -> ConnectorResponse
}
