import Foundation
import HTTPTypes
import Hummingbird
import WorkflowService

/// Lets a page request through only with a live session; a browser without one is sent to sign in. A form posted
/// with the session cookie must carry the session's form token, so no other site can post on the user's behalf.
struct PageAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: WorkflowService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let session = try await PageSession.of(request, service: service) else {
            guard request.method == .get else {
                throw PageError(.unauthorized, "Your session has ended", "Sign in again, then repeat what you were doing.")
            }
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return PageResponse.redirect("/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        var request = request
        if request.method == .post, session.fromCookie {
            let form = try await FormBody.read(&request)
            guard let sent = form["csrf"], Self.same(sent, session.formToken) else {
                throw PageError(.forbidden, "The form was refused", "It did not carry this session's form token. Reload the page and try again.")
            }
        }
        return try await PageSession.$current.withValue(session) { try await next(request, context) }
    }

    /// Compares in time independent of where the texts differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension PageSession {
    /// The session of the page request being answered, set by `PageAuthMiddleware`.
    @TaskLocal static var current: PageSession?
}

/// A form body (`application/x-www-form-urlencoded`), read once and kept in the request for the handler.
enum FormBody {
    static let limit = 256 << 10

    static func read(_ request: inout Request) async throws -> [String: String] {
        let buffer = try await request.collectBody(upTo: limit)
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
