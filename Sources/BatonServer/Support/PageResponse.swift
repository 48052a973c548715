import Foundation
import HTTPTypes
import Hummingbird
import WorkflowPages
import WorkflowService

/// A page's refusal: an HTTP status with a heading and a sentence for the person reading it.
struct PageError: Error {
    var status: HTTPResponse.Status
    var heading: String
    var detail: String

    init(_ status: HTTPResponse.Status, _ heading: String, _ detail: String) {
        self.status = status
        self.heading = heading
        self.detail = detail
    }
}

enum PageResponse {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303 See Other: after a form, the browser loads `location` with GET.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

/// Answers errors on pages with a page, not a problem document: what went wrong and the way back.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer
    let service: WorkflowService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = error as? PageError ?? {
                let problem = Problem.from(error)
                return PageError(HTTPResponse.Status(code: problem.status), problem.title, problem.detail)
            }()
            return page(refusal, signedIn: try? await PageSession.of(request, service: service))
        }
    }

    private func page(_ error: PageError, signedIn session: PageSession?) -> Response {
        let frame = PageFrame(title: error.heading, section: .workflows, csrf: session?.formToken)
        return PageResponse.html(pages.render(MessageView(frame: frame, heading: error.heading, detail: error.detail, back: "/workflows")), status: error.status)
    }
}
