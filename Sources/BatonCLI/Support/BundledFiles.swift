import Foundation

/// Finds the folders shipped beside the code (`prompts/`, `fixtures/connectors`, `fixtures/llm`) at run time, so
/// prompts can be changed without rebuilding.
///
/// Looked up in order: `$BATON_HOME/<folder>`, `../share/baton/<folder>` beside the executable, and the source
/// checkout the executable was built from. `$BATON_PROMPTS_DIR` overrides the prompts folder alone.
enum BundledFiles {
    static func candidates(_ folder: String) -> [URL] {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [URL] = []
        if folder == "prompts", let dir = environment["BATON_PROMPTS_DIR"], !dir.isEmpty {
            candidates.append(URL(fileURLWithPath: dir))
        }
        if let home = environment["BATON_HOME"], !home.isEmpty {
            candidates.append(URL(fileURLWithPath: home).appendingPathComponent(folder))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../share/baton/\(folder)").standardized)
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../\(folder)").standardized)
        return candidates
    }

    /// The first existing folder for `folder`, or an error listing where it looked.
    static func directory(_ folder: String) throws -> URL {
        let all = candidates(folder)
        if let found = all.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CommandError(description: "cannot find \(folder)/ (looked in \(all.map(\.path).joined(separator: ", "))); set BATON_HOME")
    }

    static func text(_ folder: String, _ name: String) throws -> String {
        let url = try directory(folder).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandError(description: "cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
