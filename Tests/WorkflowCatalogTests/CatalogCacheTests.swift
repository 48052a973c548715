import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowCatalog

@Suite struct CatalogCacheTests {
    @Test func aCachedCatalogEqualsTheImportedOneAndChangesInvalidateIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let catalogDir = root.appendingPathComponent("connectors")
        let cacheDir = root.appendingPathComponent("cache")
        try FileManager.default.copyItem(at: Fixtures.connectors, to: catalogDir)

        let imported = try CatalogCache.load(directory: catalogDir, cacheDirectory: cacheDir)
        #expect(imported == Fixtures.catalog)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).count == 1)
        let cached = try CatalogCache.load(directory: catalogDir, cacheDirectory: cacheDir)
        #expect(cached == imported)
        #expect(cached["vpic"]?.operation("decodeVinValues")?.responseExample?["Results"]?[0]?["Make"] == "BMW")

        // Rename the SMS connector's operation: the cache must not hide the change.
        let openapi = catalogDir.appendingPathComponent("sms.openapi.yaml")
        let text = try String(contentsOf: openapi, encoding: .utf8)
        try text.replacingOccurrences(of: "operationId: sendSms", with: "operationId: sendText").write(to: openapi, atomically: true, encoding: .utf8)
        let changed = try CatalogCache.load(directory: catalogDir, cacheDirectory: cacheDir)
        #expect(changed["sms"]?.operation("sendText") != nil)
        #expect(changed["sms"]?.operation("sendSms") == nil)
    }
}

extension JSONValue {
    fileprivate subscript(index: Int) -> JSONValue? { arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil } }
}
