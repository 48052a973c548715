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
