import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WorkflowEngine
import WorkflowModel
import WorkflowService
import WorkflowRepository

/// An RFC 9457 problem: what went wrong, as `application/problem+json`, with the same codes the command line uses
/// (`code`) and, for a document that does not validate, every diagnostic.
struct Problem: Error, Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var diagnostics: [Diagnostic]?
    /// Extra members, such as the run a refused redelivery points at.
    var runId: String?

    init(_ status: HTTPResponse.Status, code: String, _ detail: String, diagnostics: [Diagnostic]? = nil, runId: String? = nil) {
        type = "urn:baton:problem:\(code)"
        title = status.reasonPhrase.isEmpty ? Self.titles[status.code] ?? "Error \(status.code)" : status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
        self.diagnostics = diagnostics
        self.runId = runId
    }

    /// Titles of the statuses a use case's refusal can carry, which arrive as bare codes.
    static let titles = [
        400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 413: "Content Too Large",
        422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
    ]

    static func badRequest(_ detail: String, code: String = "request.invalid") -> Problem { Problem(.badRequest, code: code, detail) }

    /// The problem an error of a use case stands for.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ServiceError:
            switch error.code {
            case .invalidDocument:
                return Problem(.unprocessableContent, code: "document.invalid", error.message, diagnostics: error.diagnostics)
            case .notAllowed: return Problem(.conflict, code: "service.not-allowed", error.message)
            case .notFound: return Problem(.notFound, code: "service.not-found", error.message)
            case .conflict: return Problem(.conflict, code: "service.conflict", error.message)
            }
        case let error as StoreError:
            let status: HTTPResponse.Status = switch error.code {
            case .notFound: .notFound
            case .ambiguous, .archived, .invalidTransition: .conflict
            case .invalidArgument: .badRequest
            case .busy, .readOnly: .serviceUnavailable
            default: .internalServerError
            }
            return Problem(status, code: "store.\(error.code)", error.message)
        case let error as WebhookRefusal:
            return Problem(HTTPResponse.Status(code: error.status), code: "webhook.refused", error.message)
        case let error as RunInputError:
            return Problem(.unprocessableContent, code: "run.input", error.description)
        case let error as JournalError:
            let status: HTTPResponse.Status = switch error {
            case .runNotFound, .tokenNotFound: .notFound
            default: .conflict
            }
            return Problem(status, code: "run.wait", error.description)
        case let error as any HTTPResponseError:
            return Problem(error.status, code: "http.\(error.status.code)", "\(error)")
        default:
            return Problem(.internalServerError, code: "internal", "the request failed: \(error)")
        }
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if code == "auth.token" { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONBody.encode(self))))
    }
}

/// Answers every error a route throws as a problem document, logging the ones that are Baton's fault.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return problem.response()
        }
    }
}
