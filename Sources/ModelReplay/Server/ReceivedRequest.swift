import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A request the replay server received, kept for assertions.
public struct ReceivedRequest: Sendable, Hashable {
    public var method: String
    /// The path as received, `/replay/<fixture>` prefix included, without the query.
    public var path: String
    public var query: String?
    /// Header names in lower case; repeated headers are joined with ", ".
    public var headers: [String: String]
    /// The body as UTF-8 text.
    public var body: String
    /// The fixture that answered, if one did.
    public var fixture: String?
    /// Which of its exchanges (from 0) was served.
    public var exchange: Int?
    /// The status sent back.
    public var status: Int
    /// When the request had arrived whole.
    public var receivedAt: Date

    public init(
        method: String, path: String, query: String? = nil, headers: [String: String], body: String,
        fixture: String? = nil, exchange: Int? = nil, status: Int, receivedAt: Date = Date()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.fixture = fixture
        self.exchange = exchange
        self.status = status
        self.receivedAt = receivedAt
    }
}

extension ReceivedRequest {
    /// `request` with its body read (up to `limit` bytes), before an answer is chosen: status 0.
    static func reading(_ request: Request, upTo limit: Int) async throws -> ReceivedRequest {
        let body = try await request.body.collect(upTo: limit)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName, default: ""].append(
                headers[field.name.canonicalName] == nil ? field.value : ", \(field.value)")
        }
        return ReceivedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers,
            body: String(buffer: body), status: 0)
    }
}
