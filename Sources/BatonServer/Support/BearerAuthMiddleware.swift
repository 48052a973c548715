import HTTPTypes
import Foundation
import Hummingbird
import WorkflowService

/// Lets a request through only with `Authorization: Bearer <token>` naming a live API token (`baton token create`).
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: WorkflowService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.token(of: request) else {
            throw Self.refusal("this route needs an API token: Authorization: Bearer <token> (make one with baton token create NAME)")
        }
        guard try await service.authenticate(token: token) != nil else {
            throw Self.refusal("the API token is unknown or revoked")
        }
        return try await next(request, context)
    }

    static func refusal(_ detail: String) -> Problem { Problem(.unauthorized, code: "auth.token", detail) }

    /// The token of an `Authorization: Bearer <token>` header, or nil.
    static func token(of request: Request) -> String? {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
