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

    /// Where to go after signing in: a path on this site, never another site (`//host`, `https://…`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"), !next.contains("\n") else {
            return "/workflows"
        }
        return next
    }
}
