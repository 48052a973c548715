import Foundation
import HTTPTypes
import Hummingbird
import WorkflowPages
import WorkflowService

/// What the pages serve before sign-in: the sign-in form, which trades an API token for a session cookie, and the
/// bundled style sheet and script.
struct SignInRoutes {
    let service: WorkflowService
    let pages: PageRenderer

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("sign-in") { request, _ in
            let notice = request.query("done").flatMap { PageRoutes.notices[$0] }
            var view = SignInView(next: Self.safeNext(request.query("next")))
            if let notice { view = SignInView(notice: notice, isError: false, next: view.nextPath) }
            return PageResponse.html(pages.render(view))
        }
        group.post("sign-in") { request, _ in
            // A sign-in posted from another site would sign the browser in with someone else's token.
            guard Self.sameOrigin(request) else {
                throw PageError(.forbidden, "Not signed in", "The sign-in form was posted from another site.")
            }
            var request = request
            let form = try await FormBody.read(&request)
            let next = Self.safeNext(form["next"])
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard try await service.authenticate(token: token) != nil else {
                let view = SignInView(notice: "That token is unknown or revoked.", isError: true, next: next)
                return PageResponse.html(pages.render(view), status: .unauthorized)
            }
            var response = PageResponse.redirect(next)
            response.headers[.setCookie] = PageSession.setCookie(token, secure: PageSession.overTLS(request))
            return response
        }
        group.get("static/:name") { _, context in
            guard let asset = PageRenderer.asset(try context.parameters.require("name")) else {
                throw PageError(.notFound, "Not found", "There is no such file.")
            }
            var headers = HTTPFields()
            headers[.contentType] = asset.contentType
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }

    /// Whether the browser says the request comes from this site (`Origin`, or `Sec-Fetch-Site`); a client that says
    /// neither (a script, an old browser) is let through.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" || site == "same-site" { return false }
        guard let origin = request.headers[HTTPField.Name("Origin")!], origin != "null" else { return true }
        guard let host = request.head.authority else { return false }
        return URL(string: origin).map { url in url.host.map { $0 + (url.port.map { ":\($0)" } ?? "") } == host } ?? false
    }

    /// Where to go after signing in: a path on this site, never another site (`//host`, `https://…`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"), !next.contains("\n") else {
            return "/workflows"
        }
        return next
    }
}
