import Foundation
import WorkflowCatalog
import WorkflowModel

/// Where the repository's fixture folders are, for tests that read them.
public enum Fixtures {
    /// The repository root, found from this source file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let connectors = root.appendingPathComponent("fixtures/connectors")
    public static let validDefinitions = root.appendingPathComponent("fixtures/definitions/valid")
    public static let invalidDefinitions = root.appendingPathComponent("fixtures/definitions/invalid")
    public static let runs = root.appendingPathComponent("fixtures/runs")
    public static let schema = root.appendingPathComponent("prompts/workflow.schema.json")

    /// The names of the files in `folder` with one of `extensions`, sorted.
    public static func files(in folder: URL, extensions: Set<String> = ["json", "yaml", "yml"]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { extensions.contains(($0 as NSString).pathExtension) }.sorted()
    }
}

extension Fixtures {
    /// The bundled connector catalog, loaded once.
    public static let catalog: ConnectorCatalog = {
        do {
            return try CatalogLoader.load(directory: connectors)
        } catch {
            fatalError("the fixture catalog does not load: \(error)")
        }
    }()

    /// The contents of a fixture file.
    public static func bytes(_ folder: URL, _ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data())
    }
}
