import Foundation
import WorkflowModel

/// Looks up connector secrets by name when a call is made. Secrets are never stored in a run.
public protocol SecretProvider: Sendable {
    func secret(named name: String) -> String?
}

/// Secrets from environment variables, then from a JSON file of `{"NAME": "value"}`.
public struct EnvironmentSecrets: SecretProvider {
    private let values: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, file: URL? = nil) throws {
        var values: [String: String] = [:]
        if let file {
            let json = try JSONParser.parse(String(decoding: try Data(contentsOf: file), as: UTF8.self))
            for (key, value) in json.objectValue ?? JSONObject() { if let text = value.stringValue { values[key] = text } }
        }
        for (key, value) in environment { values[key] = value }
        self.values = values
    }

    public init(_ values: [String: String]) { self.values = values }

    public func secret(named name: String) -> String? { values[name] }
}

/// Replaces secret values with `[redacted]` wherever they appear in recorded data.
struct Redactor: Sendable {
    static let mask = "[redacted]"
    var secrets: [String]

    func redact(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let object): return .object(JSONObject(object.map { ($0.key, redact($0.value)) }))
        default: return value
        }
    }

    func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where secret.count >= 4 && text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.mask)
        }
        return text
    }
}
