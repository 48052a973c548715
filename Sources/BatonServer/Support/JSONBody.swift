import Foundation
import HTTPTypes
import Hummingbird
import WorkflowModel

/// JSON in and out of the API.
enum JSONBody {
    /// The largest request body an API route reads (webhooks have their own limit).
    static let maxBytes = 4 << 20

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? [UInt8](encoder.encode(value))) ?? Array(#"{"error":"the answer could not be encoded"}"#.utf8)
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The request's body, at most `limit` bytes.
    static func bytes(of request: Request, limit: Int = maxBytes) async throws -> [UInt8] {
        var request = request
        do {
            return Array(buffer: try await request.collectBody(upTo: limit))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, code: "request.too-large", "the body is larger than \(limit) bytes")
        }
    }

    /// The request's body as a JSON object; an empty body is an empty object.
    static func object(of request: Request) async throws -> JSONObject {
        let bytes = try await bytes(of: request)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return JSONObject() }
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw Problem.badRequest("the body is not JSON: \(error)", code: "request.json")
        }
        guard case .object(let object) = value else { throw Problem.badRequest("the body must be a JSON object", code: "request.json") }
        return object
    }
}

extension JSONObject {
    /// A string member, or a 400 naming it when it has another type.
    func string(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw Problem.badRequest("\"\(key)\" must be a string")
        }
    }
}

extension Request {
    /// A query parameter, if given.
    func query(_ name: String) -> String? { uri.queryParameters[Substring(name)].map(String.init) }

    /// An integer query parameter, or a 400 naming it.
    func intQuery(_ name: String) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text) else { throw Problem.badRequest("query parameter \(name) must be an integer, not \(text)") }
        return value
    }

    /// `?wait=30s` (or `30`, `500ms`): how long to wait for a run to end before answering, at most 60 s.
    func waitDuration() throws -> Duration? {
        guard let text = query("wait") else { return nil }
        let seconds: Double? = if text.hasSuffix("ms") { Double(text.dropLast(2)).map { $0 / 1000 } }
            else if text.hasSuffix("s") { Double(text.dropLast()) } else { Double(text) }
        guard let seconds, seconds >= 0, seconds <= 60 else {
            throw Problem.badRequest("wait must be a duration of at most 60s, such as 30s or 500ms; not \(text)")
        }
        return .milliseconds(Int(seconds * 1000))
    }
}
