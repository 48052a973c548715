import Foundation
import WorkflowModel

/// Keeps each imported catalog in a cache file, so commands that need the catalog do not decode every OpenAPI
/// document again. The cache is keyed by the names, sizes and modification times of the files in the
/// catalog folder; changing any of them imports afresh. (OpenAPI documents kept outside the folder are not
/// tracked: touch a registration after changing one.)
public enum CatalogCache {
    /// The default cache folder: `$BATON_CACHE_DIR`, else `$XDG_CACHE_HOME/baton`, else `~/.cache/baton`.
    /// `BATON_CACHE_DIR=off` turns the cache off.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let dir = environment["BATON_CACHE_DIR"], !dir.isEmpty {
            return dir == "off" ? nil : URL(fileURLWithPath: dir)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("baton")
        }
        return URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/baton")
    }

    /// The catalog in `directory`, from the cache when it is current, else imported (and cached).
    public static func load(directory: URL, cacheDirectory: URL?) throws(CatalogError) -> ConnectorCatalog {
        guard let cacheDirectory, let key = key(for: directory) else { return try CatalogLoader.load(directory: directory) }
        let file = cacheDirectory.appendingPathComponent("catalog-\(key).json")
        if let data = FileManager.default.contents(atPath: file.path), let cached = try? JSONDecoder().decode(ConnectorCatalog.self, from: data) {
            return cached
        }
        let catalog = try CatalogLoader.load(directory: directory)
        if let data = try? JSONEncoder().encode(catalog) {
            try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try? data.write(to: file, options: .atomic)
        }
        return catalog
    }

    /// A hash of the folder's path and of each file's name, size and modification time; `nil` when unreadable.
    static func key(for directory: URL) -> String? {
        let path = directory.standardizedFileURL.path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        mix(path)
        mix(String(describing: CatalogLoader.formatVersion))
        for name in names.sorted() {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name) else { return nil }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            mix("\u{0}\(name)\u{0}\(size)\u{0}\(modified)")
        }
        return String(hash, radix: 16)
    }
}

extension CatalogLoader {
    /// Bumped whenever the import changes what it produces, so older cache files are not used.
    static let formatVersion = 3
}
