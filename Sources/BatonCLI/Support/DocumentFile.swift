import Foundation
import WorkflowCatalog
import WorkflowModel

/// Reads a workflow document from a file, as JSON or YAML, and validates it.
enum DocumentFile {
    /// Whether `path` names a YAML file, by extension; other files are read as JSON.
    static func isYAML(_ path: String) -> Bool {
        ["yaml", "yml"].contains((path as NSString).pathExtension.lowercased())
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError(description: "\(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError(description: "\(path): the file cannot be read")
        }
        return [UInt8](data)
    }

    /// Validates the document in `bytes`, read as YAML when `yaml` is true and as JSON otherwise.
    static func validate(_ bytes: [UInt8], yaml: Bool, with validator: WorkflowValidator) -> ValidationResult {
        validator.validate(bytes: bytes, yaml: yaml)
    }

    /// Whether a command-line reference names a file rather than a workflow: it has a folder or a document extension.
    static func looksLikePath(_ reference: String) -> Bool {
        reference.contains("/") || [".json", ".yaml", ".yml"].contains { reference.lowercased().hasSuffix($0) }
    }

    /// Loads the connector catalog in `directory`, or `nil` when none was asked for.
    static func catalog(_ directory: String?) throws -> ConnectorCatalog? {
        guard let directory else { return nil }
        do {
            return try CatalogCache.load(directory: URL(fileURLWithPath: directory), cacheDirectory: CatalogCache.defaultDirectory())
        } catch {
            throw CommandError(description: "cannot load the connector catalog: \(error)")
        }
    }
}
