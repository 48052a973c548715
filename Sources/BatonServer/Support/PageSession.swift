import Foundation
import HTTPTypes
import Hummingbird
import WorkflowService

/// Who is signed in to the pages: the API token from the session cookie (or, for scripts, an `Authorization: Bearer`
/// header), checked on every request, and the form token derived from it.
struct PageSession: Sendable {
    static let cookie = "baton_session"
    /// How long a sign-in lasts.
    static let lifetime = 12 * 3600

    let token: String
    /// Whether the token came in the cookie (forms then must carry the form token) rather than a header.
    let fromCookie: Bool
    let formToken: String

    /// The session a request presents, or nil when it presents none that is live.
    static func of(_ request: Request, service: WorkflowService) async throws -> PageSession? {
        let (token, fromCookie): (String, Bool)
        if let bearer = BearerAuthMiddleware<BasicRequestContext>.token(of: request) {
            (token, fromCookie) = (bearer, false)
        } else if let value = request.cookies[cookie]?.value, !value.isEmpty {
            (token, fromCookie) = (value, true)
        } else {
            return nil
        }
        guard try await service.authenticate(token: token) != nil else { return nil }
        return PageSession(token: token, fromCookie: fromCookie, formToken: service.formToken(session: token))
    }

    /// The `Set-Cookie` value that signs `token` in: readable by no script, sent by the browser only to this site.
    static func setCookie(_ token: String, secure: Bool) -> String {
        "\(cookie)=\(token); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func clearCookie(secure: Bool) -> String {
        "\(cookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Whether the browser reached this server over TLS (directly or through a proxy that says so).
    static func overTLS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}

/// Headers on every page and asset: a Content-Security-Policy that allows only this site's own styles, scripts and
/// connections (no inline script, no framing), and no sniffing or leaking of addresses.
struct PageHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.policy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
