import Foundation

/// Finds the files of the `prompts/` folder at run time, so they can be changed without rebuilding.
///
/// Looked up in order: `$BATON_PROMPTS_DIR`, `../share/baton/prompts` beside the executable, and the
/// source checkout the executable was built from.
enum PromptFiles {
    static var directories: [URL] {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["BATON_PROMPTS_DIR"], !dir.isEmpty {
            candidates.append(URL(fileURLWithPath: dir))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../share/baton/prompts").standardized)
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../prompts").standardized)
        return candidates
    }

    static func text(_ name: String) throws -> String {
        for directory in directories {
            let url = directory.appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: url.path) { return String(decoding: data, as: UTF8.self) }
        }
        let searched = directories.map(\.path).joined(separator: ", ")
        throw CommandError(description: "cannot find prompts/\(name) (looked in \(searched)); set BATON_PROMPTS_DIR")
    }
}
