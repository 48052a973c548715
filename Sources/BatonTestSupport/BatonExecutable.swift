import Foundation

/// The built `baton` executable, for tests that run it as a user would.
public enum BatonExecutable {
    public static let url: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("baton"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("baton"),
            Bundle.main.bundleURL.appendingPathComponent("baton"),
            Fixtures.root.appendingPathComponent(".build/debug/baton"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    /// This process's environment without the model settings a developer may have exported, so tests are hermetic.
    public static var hermeticEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BATON_") && !["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "EDITOR", "VISUAL"].contains($0.key)
        }
    }
}
