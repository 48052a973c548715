import Foundation

/// A `<name>.connector.yaml` file: what the connector is called, where its API is, and how calls authenticate.
///
///     name: crm
///     title: Acme CRM
///     description: Customer records and account notes.
///     openapi: crm.openapi.yaml          # relative to this file
///     baseURL: https://crm.example.com/api/v2
///     auth:
///       type: bearer                     # bearer | apiKey | basic | none
///       secret: CRM_API_TOKEN            # the name of the secret, never its value
///       header: X-Api-Key                # apiKey only
///       username: baton                  # basic only
///     redirects: same-host               # optional: none (the default) | same-host
struct ConnectorRegistration: Decodable {
    struct Auth: Decodable {
        var type: String
        var secret: String?
        var header: String?
        var username: String?
    }

    var name: String
    var title: String
    var description: String?
    var openapi: String
    var baseURL: String
    var auth: Auth
    var redirects: String?

    static let fields: Set<String> = ["name", "title", "description", "openapi", "baseURL", "auth", "redirects"]
    static let authFields: Set<String> = ["type", "secret", "header", "username"]
}

extension DecodingError {
    /// The error in words about a registration's fields.
    var registrationMessage: String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "the registration has no \"\(field(context.codingPath + [key]))\""
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            guard !context.codingPath.isEmpty else {
                return "the registration must be a mapping with name, title, openapi, baseURL and auth"
            }
            let expected = type == String.self ? "a string" : "a mapping"
            return "\"\(field(context.codingPath))\" must be \(expected)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? context.debugDescription : "\"\(field(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return String(describing: self)
        }
    }
}
