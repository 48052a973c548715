import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser's side of the pages, without the browser: cookies, forms and redirects seen as they come.
extension ServerHarness {
    /// Redirects are not followed, so tests see each 303 and where it leads.
    static let pageClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// One page request; `cookie` is the session cookie's value, `form` a form body.
    func page(
        _ method: HTTPMethod, _ path: String, cookie: String? = nil, form: [(String, String)]? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var headers = headers
        if let cookie { headers["Cookie"] = "baton_session=\(cookie)" }
        var body: String?
        if let form {
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        }
        return try await Self.request(method, base + path, body: body, headers: headers, client: Self.pageClient)
    }

    /// The form token a signed-in page carries.
    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
